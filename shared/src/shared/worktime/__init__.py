"""Working time on a schedule (business hours on a production calendar, or 24x7).

Pure code shared by sla-clock (the customer's SLA clocks) and escalation (the
support lines' own response targets and the out-of-hours test), so both count
working time the same way without importing each other.
"""
