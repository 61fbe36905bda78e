"""Premium and business services on a ticket: who has them, remote access, phone confirmation, analysis.

Pure code. Which tiers include a feature is entitlement's catalogue; callers fetch it at
run time and pass the tiers that have the feature, so every refusal names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from intake.domain.actors import ActorKind
from intake.domain.lifecycle import Action, Transition, check_open, transition
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.events.policy import CriticalResolutionStart
from shared.events.vocabulary import Feature, Severity, TicketType

__all__ = [
    "CLOCK_SKEW",
    "REMOTE_ACCESS_REQUIRED",
    "SUBTYPE_FEATURE",
    "PhoneConfirmation",
    "ServiceSubtype",
    "check_analysis_resolution",
    "check_subtype",
    "critical_resolution_start",
    "record_phone_confirmation",
    "require_feature",
    "wait_for_remote_access",
]

REMOTE_ACCESS_REQUIRED = "remote_access_required"
"""The waiting reason of a critical incident the desk cannot reach remotely."""

CLOCK_SKEW = timedelta(minutes=1)
"""How far in the future an agent's clock may put a confirmation before it is refused."""

_MAX_REF = 500


class ServiceSubtype(StrEnum):
    """A kind of service request with rules of its own."""

    performance_analysis = "performance_analysis"


SUBTYPE_FEATURE: dict[ServiceSubtype, Feature] = {
    ServiceSubtype.performance_analysis: Feature.performance_analysis,
}


def require_feature(feature: Feature, *, tier: str, tiers_with_feature: Sequence[str]) -> None:
    """Refuse (403) unless ``tier`` includes ``feature``, naming the tiers that do."""
    if tier in tiers_with_feature:
        return
    where = (
        f"it comes with the {', '.join(tiers_with_feature)} tier(s); ask for a contract on one "
        "of them"
        if tiers_with_feature
        else "no tier includes it at present"
    )
    raise Forbidden(
        f"The {tier} tier does not include {feature}; {where}.",
        slug="feature-not-in-tier",
        feature=str(feature),
        tier=tier,
        tiers=list(tiers_with_feature),
    )


def wait_for_remote_access(
    *,
    status: str,
    ticket_type: str,
    severity: str,
    remote_access_available: bool,
    tier: str,
    tiers_with_feature: Sequence[str],
    actor: ActorKind,
    current_assignee: str | None = None,
) -> Transition:
    """Put a critical incident without remote access into waiting_customer (the clock pauses).

    Only a critical incident qualifies: for anything less urgent the desk works without
    remote access. A ticket whose remote access is recorded as available has nothing
    to wait for. Beyond that, it is the lifecycle's ``wait_for_customer`` move.
    """
    require_feature(Feature.remote_access, tier=tier, tiers_with_feature=tiers_with_feature)
    if ticket_type != TicketType.incident or severity != Severity.critical:
        raise Conflict(
            f"Only a critical incident waits for remote access; this is a {severity} "
            f"{ticket_type}. Ask for the information the ticket needs instead.",
            slug="remote-access-wait-not-critical",
        )
    if remote_access_available:
        raise Conflict(
            "The ticket records remote access as available; record it as unavailable first.",
            slug="remote-access-available",
        )
    return transition(
        status=status,
        action=Action.wait_for_customer,
        actor=actor,
        reason=REMOTE_ACCESS_REQUIRED,
        current_assignee=current_assignee,
    )


@dataclass(frozen=True)
class PhoneConfirmation:
    """Who confirmed a critical ticket by phone and when, and which agent recorded it."""

    confirmed_by: str
    confirmed_at: datetime
    recorded_by: str


def record_phone_confirmation(
    *,
    status: str,
    severity: str,
    received_at: datetime,
    existing: PhoneConfirmation | None,
    confirmation: PhoneConfirmation,
    now: datetime,
) -> PhoneConfirmation | None:
    """Check a phone confirmation; return it to record, or None when it is already recorded.

    Recorded once: the same confirmation again is a replay and changes nothing, a
    different one is refused, because the clock may already have started from the first.
    """
    if severity != Severity.critical:
        raise Conflict(
            f"A phone confirmation is recorded on critical tickets; this one is {severity}.",
            slug="phone-confirmation-not-critical",
        )
    if existing == confirmation:
        return None
    if existing is not None:
        raise Conflict(
            f"The phone confirmation is already recorded ({existing.confirmed_by} at "
            f"{existing.confirmed_at.isoformat()}); it is recorded once.",
            slug="phone-confirmation-recorded",
        )
    check_open(status, "record a phone confirmation")
    if not confirmation.confirmed_by.strip() or not confirmation.recorded_by.strip():
        raise Unprocessable(
            "Say who confirmed by phone in confirmed_by.", slug="phone-confirmation-who"
        )
    at = confirmation.confirmed_at
    if at.utcoffset() is None:
        raise Unprocessable(
            "Give confirmed_at with its offset (e.g. 2026-03-04T10:20:00+03:00).",
            slug="phone-confirmation-when",
        )
    if not received_at <= at <= now + CLOCK_SKEW:
        raise Unprocessable(
            f"confirmed_at must lie between the ticket's registration "
            f"({received_at.isoformat()}) and now.",
            slug="phone-confirmation-when",
        )
    return confirmation


def critical_resolution_start(
    *,
    severity: str,
    received_at: datetime,
    confirmation: PhoneConfirmation | None,
    starts: CriticalResolutionStart = CriticalResolutionStart.registration,
) -> datetime | None:
    """Return when the resolution clock starts; None while it waits for the confirmation.

    By default every clock starts at registration. A contract whose policy says
    ``critical_resolution_starts: confirmation`` starts a critical ticket's resolution
    clock at the phone confirmation, as the programme words it; until then it has not
    started. The response clock is not concerned.
    """
    if severity != Severity.critical or starts is CriticalResolutionStart.registration:
        return received_at
    return None if confirmation is None else max(confirmation.confirmed_at, received_at)


def check_subtype(
    *,
    ticket_type: str,
    subtype: ServiceSubtype | None,
    tier: str,
    tiers_with_feature: Sequence[str],
) -> None:
    """Admit a subtype only on a service request, and only for a tier with its feature."""
    if subtype is None:
        return
    if ticket_type != TicketType.service_request:
        raise Unprocessable(
            f"The {subtype} subtype is a kind of service_request; this is a {ticket_type}.",
            slug="subtype-not-service-request",
        )
    require_feature(SUBTYPE_FEATURE[subtype], tier=tier, tiers_with_feature=tiers_with_feature)


def check_analysis_resolution(*, subtype: ServiceSubtype | None, report: str | None) -> str | None:
    """Return the report reference a resolution must carry (None when none is needed).

    A performance analysis resolves with its report: an http(s) URL or a document id
    (letters, digits, ``.``, ``_``, ``:``, ``-``, e.g. ``DOC-2026-0042``).
    """
    if subtype is not ServiceSubtype.performance_analysis:
        return report
    ref = (report or "").strip()
    if not ref:
        raise Unprocessable(
            "A performance analysis resolves with its report: send report as a URL or a "
            "document id.",
            slug="analysis-report-required",
        )
    if len(ref) > _MAX_REF or not (_is_url(ref) or _is_document_id(ref)):
        raise Unprocessable(
            f"report must be an http(s) URL or a document id (letters, digits, . _ : -, at "
            f"most {_MAX_REF} characters); got {ref[:80]!r}.",
            slug="analysis-report-required",
        )
    return ref


def _is_url(ref: str) -> bool:
    parts = urlsplit(ref)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in ref


def _is_document_id(ref: str) -> bool:
    return ref[0].isalnum() and all(c.isalnum() or c in "._:-" for c in ref) and "//" not in ref
