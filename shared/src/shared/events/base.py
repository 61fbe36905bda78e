"""The event envelope (CloudEvents attribute names) and the typed payload registry.

Every event on every topic is one :class:`Envelope` in CloudEvents' structured JSON
mode. ``data`` holds a payload whose schema is an :class:`EventData` subclass
registered under its ``type``; consumers look the type up, validate, and ignore
types they do not know (new types are additive within a topic version).
"""

from __future__ import annotations

import builtins
import contextvars
import os
import time
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PrivateAttr

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


_V7_LAST = [0, 0]  # the millisecond and the counter of the last id made in this process


def new_id() -> UUID:
    """Return a time-ordered UUIDv7 (RFC 9562), good for primary keys and event ids.

    Ids made in the same millisecond are ordered by a 12-bit counter that starts at a
    random value (the RFC's "fixed bit-length dedicated counter", method 1); the
    62 bits after it are random. Made here rather than with ``uuid6.uuid7()``,
    whose result had to be parsed again from its string: the scheduler makes one per
    alarm, and that was an eighth of its time.
    """
    ms = time.time_ns() // 1_000_000
    last_ms, counter = _V7_LAST
    if ms > last_ms:
        counter = int.from_bytes(os.urandom(2)) & 0x7FF  # room to count up within the ms
    else:
        ms, counter = last_ms, counter + 1
        if counter > 0xFFF:  # 4,096 ids in one millisecond: borrow the next one
            ms, counter = ms + 1, 0
    _V7_LAST[0], _V7_LAST[1] = ms, counter
    rand_b = int.from_bytes(os.urandom(8)) & 0x3FFF_FFFF_FFFF_FFFF
    return UUID(int=(ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b)


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
        if time is not None and time.tzinfo is None:
            raise ValueError("an event's time must carry its UTC offset")
        # ``data`` is an EventData that pydantic validated when it was made, and the rest
        # is built here: validating it all again cost a quarter of the scheduler's time.
        return cls.model_construct(
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
