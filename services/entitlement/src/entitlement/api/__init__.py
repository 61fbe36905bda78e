"""HTTP API of entitlement."""
