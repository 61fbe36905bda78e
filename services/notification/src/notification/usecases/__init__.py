"""Notification's use cases; each takes a command (a typed event, a request) and a unit of work."""
