"""Adapters of entitlement: database, Kafka, HTTP."""
