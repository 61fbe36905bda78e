"""The pieces of ``bench/stack_cost.py``: CPU accounting, open and closed loads, the report.

A package (not ``bench/*.py``) so that ``make bench`` does not run its modules one by one.
"""
