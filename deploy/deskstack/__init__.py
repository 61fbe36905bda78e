"""The local stack: PostgreSQL and a Kafka-protocol broker resolved, every service started.

``make run`` calls ``python -m deskstack run``. The end-to-end tests use the same
functions, spawning the service processes themselves so they can stop one.
"""
