"""Pure domain logic of sla-clock: no I/O."""
