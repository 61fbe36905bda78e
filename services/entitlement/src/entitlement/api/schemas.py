"""HTTP schemas of entitlement: ``XxxCreate``/``XxxUpdate`` in, ``XxxRead`` out.

The request bodies are the use cases' commands (``entitlement.commands``) and the
answers their read models (``entitlement.readmodels``); what only HTTP needs (query
bounds) lives here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator

from entitlement.commands import (
    MAX_DATE,
    MIN_DATE,
    CalendarIn,
    ContactCreate,
    ContactUpdate,
    ContractCreate,
    ContractUpdate,
    CustomerCreate,
    CustomerUpdate,
    ReleaseCreate,
)
from entitlement.readmodels import (
    CalendarRead,
    ContactRead,
    ContractRead,
    CustomerPage,
    CustomerRead,
    EntitlementRead,
    PolicyRead,
    ReleaseRead,
    TierName,
    TierRead,
)

__all__ = [
    "MAX_OFFSET",
    "CalendarIn",
    "CalendarRead",
    "ContactCreate",
    "ContactRead",
    "ContactUpdate",
    "ContractCreate",
    "ContractRead",
    "ContractUpdate",
    "CustomerCreate",
    "CustomerPage",
    "CustomerRead",
    "CustomerUpdate",
    "EntitlementRead",
    "PolicyRead",
    "ReleaseCreate",
    "ReleaseRead",
    "SaneInstant",
    "TierName",
    "TierRead",
]

MAX_OFFSET = 2**31 - 1


def _sane_instant(value: datetime) -> datetime:
    if not MIN_DATE.year <= value.year <= MAX_DATE.year:
        raise ValueError(
            f"instant {value.isoformat()} is out of range; send an instant from "
            f"{MIN_DATE.isoformat()}T00:00:00Z to {MAX_DATE.isoformat()}T23:59:59Z"
        )
    return value


SaneInstant = Annotated[datetime, AfterValidator(_sane_instant)]
"""An instant in the years 1900 to 2200 (as written, whatever its offset)."""
