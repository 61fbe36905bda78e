"""Intake: tickets, channels and their lifecycle."""
