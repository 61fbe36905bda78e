"""Adapters of intake: database, Kafka, HTTP."""
