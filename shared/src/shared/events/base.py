"""The event envelope (CloudEvents attribute names) and the typed payload registry.

Every event on every topic is one :class:`Envelope` in CloudEvents' structured JSON
mode. ``data`` holds a payload whose schema is an :class:`EventData` subclass
registered under its ``type``; consumers look the type up, validate, and ignore
types they do not know (new types are additive within a topic version).
"""

from __future__ import annotations

import builtins
import contextvars
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PrivateAttr
from uuid6 import uuid7

from shared.observability.tracing import current_traceparent

# Set while a consumer handles an event, so events it causes inherit the chain.
current_correlation: contextvars.ContextVar[UUID | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
current_causation: contextvars.ContextVar[UUID | None] = contextvars.ContextVar(
    "causation_id", default=None
)

EVENT_TYPES: dict[str, type[EventData]] = {}
D = TypeVar("D", bound="EventData")


def new_id() -> UUID:
    """Return a time-ordered UUIDv7, good for primary keys and event ids."""
    return UUID(str(uuid7()))


class EventData(BaseModel):
    """The payload of one event type; subclasses set ``TYPE`` and ``TOPIC``.

    Within a topic version, fields may only be added, and only optional ones.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("TYPE")
        if event_type:
            if event_type in EVENT_TYPES and EVENT_TYPES[event_type] is not cls:
                raise TypeError(f"event type {event_type!r} registered twice")
            EVENT_TYPES[event_type] = cls


class Envelope(BaseModel):
    """One event on the wire: CloudEvents 1.0 attributes plus our extensions."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: UUID = Field(default_factory=new_id)
    type: str
    source: str
    time: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str
    datacontenttype: Literal["application/json"] = "application/json"
    schemaversion: int = 1
    correlationid: UUID | None = None
    causationid: UUID | None = None
    # Per-subject sequence (e.g. the ticket's version) so consumers can spot gaps.
    sequence: int | None = None
    # W3C trace context of the span that published it (CloudEvents distributed tracing).
    traceparent: str | None = None
    data: dict[str, Any]
    # ``data`` validated as its registered type, kept after the first ``typed()``.
    _typed: EventData | None = PrivateAttr(default=None)

    @classmethod
    def wrap(
        cls,
        data: EventData,
        *,
        source: str,
        subject: str,
        time: datetime | None = None,
        sequence: int | None = None,
        correlation_id: UUID | None = None,
    ) -> Envelope:
        """Wrap a payload, inheriting correlation and causation from the handled event."""
        event_id = new_id()
        correlation = correlation_id or current_correlation.get() or event_id
        return cls(
            id=event_id,
            type=data.TYPE,
            source=source,
            time=time or datetime.now(UTC),
            subject=subject,
            schemaversion=data.SCHEMA_VERSION,
            correlationid=correlation,
            causationid=current_causation.get(),
            sequence=sequence,
            traceparent=current_traceparent(),
            data=data.model_dump(mode="json"),
        )

    def payload(self, model: builtins.type[D]) -> D:
        """Validate ``data`` as ``model`` (once: the consumer's check is reused by handlers)."""
        cached = self._typed
        if type(cached) is model:
            return cached  # exact type checked above
        return model.model_validate(self.data)

    def typed(self) -> EventData | None:
        """Validate ``data`` as the registered type, or None for an unknown type."""
        if self._typed is None:
            model = EVENT_TYPES.get(self.type)
            if model is not None:
                self._typed = model.model_validate(self.data)
        return self._typed
