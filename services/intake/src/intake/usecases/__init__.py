"""Intake's use cases, one module per capability; each takes a command and a unit of work."""
