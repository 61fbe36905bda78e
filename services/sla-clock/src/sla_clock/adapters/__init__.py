"""Adapters of sla-clock: database, Kafka, HTTP."""
