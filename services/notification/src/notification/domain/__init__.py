"""Pure domain logic of notification: no I/O."""
