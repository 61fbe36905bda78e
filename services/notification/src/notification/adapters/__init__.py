"""Adapters of notification: database, Kafka, HTTP."""
