"""Notification: email, webhook and chat delivery."""
