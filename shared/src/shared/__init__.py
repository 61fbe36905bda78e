"""Common library of the support-desk services: events, messaging, database, settings."""
