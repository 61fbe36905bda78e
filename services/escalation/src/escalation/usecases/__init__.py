"""Escalation's use cases: each takes its inputs and a unit of work (``escalation.uow``)."""
