"""SQL expressions several repositories share: the effective tier rank, a listed product."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Date, case, cast, func, select, text

from entitlement.adapters.orm import contract, customer
from entitlement.config import SCHEMA
from entitlement.domain.catalogue import CATALOGUE, Tier

RANK_TIER = {spec.rank: tier for tier, spec in CATALOGUE.items()}


def tier_rank(now: datetime) -> Any:
    """SQL for the customer's effective tier rank at ``now`` (the rule of ``resolve``).

    In SQL as well as in the domain because lists filter and page on it; the unit tests
    of ``resolve`` and the API tests of the customer list pin the two to one answer.
    """
    active = (
        select(func.max(contract.c.tier_rank))
        .where(
            contract.c.customer_id == customer.c.id,
            contract.c.starts_at <= now,
            contract.c.ends_at > now,
        )
        .scalar_subquery()
    )
    local_today = cast(func.timezone(customer.c.timezone, now), Date)
    in_warranty = case(
        (customer.c.warranty_until >= local_today, CATALOGUE[Tier.standard].rank),
        else_=CATALOGUE[Tier.basic].rank,
    )
    return func.coalesce(active, in_warranty)


def lists_product(product: str) -> Any:
    """SQL: the customer lists ``product`` (names compare case-insensitively)."""
    return text(
        f'EXISTS (SELECT 1 FROM unnest("{SCHEMA}".customer.products) AS p(name) '
        "WHERE lower(p.name) = lower(:product))"
    ).bindparams(product=product.strip())
