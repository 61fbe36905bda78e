"""Pure domain logic of entitlement: no I/O."""
