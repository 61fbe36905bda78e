"""Pure domain logic of escalation: no I/O."""
