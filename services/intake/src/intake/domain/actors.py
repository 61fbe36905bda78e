"""Who acts on a ticket: a customer's contact or a support agent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.auth import Principal
from shared.errors import Forbidden, Unprocessable


class ActorKind(StrEnum):
    customer = "customer"
    agent = "agent"
    system = "system"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    name: str | None = None
    contact_email: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.contact_email or self.name or 'unknown'}"


def resolve_actor(
    principal: Principal,
    *,
    kind: str | None,
    name: str | None = None,
    contact_email: str | None = None,
) -> Actor:
    """Decide who acts: the body's ``actor`` if the caller's key may claim it, else the role.

    A staff key (admin, manager, agent, system; ``shared.auth``) may act as an agent, or on a customer's
    behalf when the body says ``{"kind": "customer", "contact_email": ...}`` (an agent on the
    phone). A bot key or a key bound to a customer always acts as the customer.
    """
    staff = principal.is_staff
    if kind == ActorKind.agent and not staff:
        raise Forbidden(
            f"A {principal.role} key acts for a customer and cannot act as an agent; "
            "use an agent's API key.",
            slug="agent-only",
        )
    chosen = ActorKind(kind) if kind else (ActorKind.agent if staff else ActorKind.customer)
    if chosen == ActorKind.customer and not contact_email:
        raise Unprocessable(
            "A customer action needs the contact who takes it: send "
            '"actor": {"kind": "customer", "contact_email": "<an active contact>"}.',
            slug="contact-required",
        )
    if chosen == ActorKind.agent:
        return Actor(kind=chosen, name=name or principal.key_id or "agent")
    return Actor(kind=chosen, name=name, contact_email=contact_email)
