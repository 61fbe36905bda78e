"""Escalation's own errors, raised by repositories and turned into problems by use cases."""

from __future__ import annotations


class EmailTaken(Exception):
    """Another staff member already has this email (the staff table's unique key)."""
