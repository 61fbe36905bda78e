"""Starters for the servers the platform runs on, shared by ``deskstack`` and ``shared.testing``.

Both the local stack (deploy/deskstack) and the test harness start an embedded
PostgreSQL, a Tansu broker and a mail catcher, migrate every service and spawn its
processes; the code lives here, once, so the test plugin never imports the deploy tool.
"""
