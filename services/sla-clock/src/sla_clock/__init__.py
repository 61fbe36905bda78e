"""SLA clock: per-ticket timers in working time."""
