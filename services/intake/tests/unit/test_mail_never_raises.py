"""Property: no bytes make ``parse`` (or screening and bounce reading) raise.

Mail servers pass on whatever they are given: truncated messages, flipped bytes, broken
boundaries and encodings. A message the desk cannot read must still become a record
with a reason, so the parser degrades and never raises.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from intake.domain.mail import bounce_info, parse, screen

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "mail").glob("*.eml"))
RAW = [path.read_bytes() for path in FIXTURES]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A fixture cut short and with a few bytes overwritten."""
    raw = draw(st.sampled_from(RAW))
    cut = draw(st.integers(min_value=0, max_value=len(raw)))
    data = bytearray(raw[:cut] if draw(st.booleans()) else raw)
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data[at] = draw(st.integers(min_value=0, max_value=255))
    return bytes(data)


def read_everything(raw: bytes) -> None:
    mail = parse(raw)
    assert mail.message_id
    assert isinstance(mail.text, str)
    screen(mail, ["support@support-desk.local"])
    bounce_info(mail)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_a_damaged_fixture_never_raises(raw: bytes) -> None:
    read_everything(raw)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    read_everything(raw)


def test_each_fixture_has_a_message_id_and_text() -> None:
    for raw in RAW:
        mail = parse(raw)
        assert not mail.message_id.startswith("sha256-")
        assert mail.text.strip()
