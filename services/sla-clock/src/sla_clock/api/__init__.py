"""HTTP API of sla-clock."""
