"""Who acts on a ticket: a customer's contact or a support agent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.errors import Forbidden, Unprocessable


class ActorKind(StrEnum):
    customer = "customer"
    agent = "agent"
    system = "system"


# Gateway roles whose keys belong to support staff; any other role (bot, or a key bound to
# a customer) acts for a customer and can never claim to be an agent.
STAFF_ROLES = frozenset({"admin", "manager", "agent", "system"})


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    name: str | None = None
    contact_email: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.contact_email or self.name or 'unknown'}"


def resolve_actor(
    *,
    role: str | None,
    customer_bound: bool,
    principal_id: str | None,
    kind: str | None,
    name: str | None = None,
    contact_email: str | None = None,
) -> Actor:
    """Decide who acts: the body's ``actor`` if the caller's key may claim it, else the role.

    A staff key (admin, manager, agent, system) may act as an agent, or on a customer's
    behalf when the body says ``{"kind": "customer", "contact_email": ...}`` (an agent on the
    phone). A bot key or a key bound to a customer always acts as the customer.
    """
    staff = (role or "").lower() in STAFF_ROLES and not customer_bound
    if kind == ActorKind.agent and not staff:
        raise Forbidden(
            f"A {role or 'anonymous'} key acts for a customer and cannot act as an agent; "
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
        return Actor(kind=chosen, name=name or principal_id or "agent")
    return Actor(kind=chosen, name=name, contact_email=contact_email)
