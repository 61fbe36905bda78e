"""Kafka messaging with exactly-once effects: transactional outbox, relay, idempotent consumer."""
