"""HTTP API of escalation."""
