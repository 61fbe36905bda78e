"""Pure domain logic of intake: no I/O."""
