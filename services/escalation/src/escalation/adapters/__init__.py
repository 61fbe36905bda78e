"""Adapters of escalation: database, Kafka, HTTP."""
