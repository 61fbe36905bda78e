"""Escalation: who is told or moved on a warning or breach."""
