"""Between HTTP bodies and escalation's records: schemas in, commands out, records back."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from escalation.api.schemas import (
    DutyCreate,
    DutyRead,
    EscalationRead,
    StaffCreate,
    StaffRead,
    StaffUpdate,
)
from escalation.domain.commands import NewShift, NewStaff
from escalation.domain.model import Escalation, Shift, StaffMember, StoredPolicy


def new_staff(body: StaffCreate) -> NewStaff:
    """The command of a ``POST /staff`` body."""
    return NewStaff(**body.model_dump(mode="json"))


def staff_changes(body: StaffUpdate) -> dict[str, Any]:
    """The fields a ``PATCH /staff/{id}`` body sets (null included: the use case refuses it)."""
    return body.model_dump(mode="json", exclude_unset=True)


def new_shift(body: DutyCreate) -> NewShift:
    """The command of a ``POST /duty`` body."""
    return NewShift(
        staff_id=body.staff_id, line=body.line, starts_at=body.starts_at, ends_at=body.ends_at
    )


def staff_read(member: StaffMember) -> StaffRead:
    return StaffRead.model_validate(asdict(member))


def duty_read(shift: Shift) -> DutyRead:
    return DutyRead.model_validate(asdict(shift))


def escalation_read(escalation: Escalation) -> EscalationRead:
    return EscalationRead.model_validate(asdict(escalation))


def policy_read(policy: StoredPolicy) -> dict[str, Any]:
    return {
        "version": policy.version,
        "contract_id": policy.contract_id,
        "default": policy.default,
        "policy": policy.document,
    }
