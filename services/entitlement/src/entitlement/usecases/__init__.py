"""Use cases of entitlement, one module per capability; each takes a command and a unit of work."""
