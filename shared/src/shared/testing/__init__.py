"""Test support: real PostgreSQL and a real Kafka-protocol broker for integration tests."""
