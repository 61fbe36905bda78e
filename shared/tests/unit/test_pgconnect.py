"""One database URL, libpq's TLS meaning, the same ``ssl`` argument for every connection."""

from __future__ import annotations

import ast
import ssl
from collections.abc import Iterator
from pathlib import Path

import certifi
import pytest

from shared import pgconnect
from shared.pgconnect import SslMode, parse

ROOT = Path(__file__).resolve().parents[3]
BASE = "postgresql+asyncpg://app:s%40cret@db.example:5432/support"
# A file of CA certificates that Python can load (httpx's bundle); no server is asked here.
CA_FILE = certifi.where()


@pytest.fixture(autouse=True)
def _no_home_root_certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libpq's ~/.postgresql/root.crt must not leak in from the machine running the tests."""
    monkeypatch.setenv("HOME", str(tmp_path))


class TestParse:
    def test_a_url_without_tls_parameters_is_left_to_asyncpg(self) -> None:
        target = parse(BASE)

        assert target.mode is None
        assert target.ssl is None
        assert target.connect_args() == {}
        assert target.url == BASE

    def test_the_tls_parameters_leave_the_url_and_the_others_stay(self) -> None:
        target = parse(f"{BASE}?sslmode=require&application_name=x")

        assert target.url == f"{BASE}?application_name=x"
        assert target.dsn == "postgresql://app:s%40cret@db.example:5432/support?application_name=x"

    def test_plain_postgresql_urls_are_accepted(self) -> None:
        target = parse("postgresql://u@h/d?sslmode=disable")

        assert target.url == "postgresql+asyncpg://u@h/d"
        assert target.ssl is False

    @pytest.mark.parametrize("mode", ["allow", "prefer"])
    def test_allow_and_prefer_are_asyncpg_modes_that_fall_back(self, mode: str) -> None:
        assert parse(f"{BASE}?sslmode={mode}").ssl == mode

    def test_require_encrypts_without_checking(self) -> None:
        context = parse(f"{BASE}?sslmode=require").ssl

        assert isinstance(context, ssl.SSLContext)
        assert context.verify_mode == ssl.CERT_NONE
        assert not context.check_hostname

    def test_require_with_a_ca_checks_the_chain_as_libpq_does(self) -> None:
        context = parse(f"{BASE}?sslmode=require&sslrootcert={CA_FILE}").ssl

        assert isinstance(context, ssl.SSLContext)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert not context.check_hostname

    def test_verify_ca_checks_the_chain_not_the_host(self) -> None:
        context = parse(f"{BASE}?sslmode=verify-ca&sslrootcert={CA_FILE}").ssl

        assert isinstance(context, ssl.SSLContext)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert not context.check_hostname

    def test_verify_full_checks_the_chain_and_the_host(self) -> None:
        context = parse(f"{BASE}?sslmode=verify-full&sslrootcert={CA_FILE}").ssl

        assert isinstance(context, ssl.SSLContext)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname
        assert context.minimum_version >= ssl.TLSVersion.TLSv1_2

    def test_sqlalchemys_own_ssl_spelling_means_sslmode(self) -> None:
        assert parse(f"{BASE}?ssl=disable").ssl is False
        assert parse(f"{BASE}?ssl=require").mode is SslMode.require

    @pytest.mark.parametrize("mode", ["verify-ca", "verify-full"])
    def test_verifying_without_a_ca_is_refused_at_once(self, mode: str) -> None:
        with pytest.raises(ValueError, match="sslrootcert"):
            parse(f"{BASE}?sslmode={mode}")

    def test_libpqs_default_ca_file_is_used(self, tmp_path: Path) -> None:
        (tmp_path / ".postgresql").mkdir()
        (tmp_path / ".postgresql" / "root.crt").write_bytes(Path(CA_FILE).read_bytes())

        context = parse(f"{BASE}?sslmode=verify-full").ssl

        assert isinstance(context, ssl.SSLContext)
        assert context.verify_mode == ssl.CERT_REQUIRED

    def test_a_missing_ca_file_is_an_error_not_a_silent_downgrade(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            parse(f"{BASE}?sslmode=verify-full&sslrootcert={tmp_path / 'none.crt'}")

    @pytest.mark.parametrize(
        ("query", "says"),
        [
            ("sslmode=prefer&sslrootcert=/ca.crt", "never checks"),
            ("sslrootcert=/ca.crt", "without sslmode"),
            ("sslmode=bogus", "not one of"),
        ],
    )
    def test_settings_that_would_look_checked_but_are_not_are_refused(
        self, query: str, says: str
    ) -> None:
        with pytest.raises(ValueError, match=says):
            parse(f"{BASE}?{query}")

    def test_conflicting_spellings_are_refused(self) -> None:
        with pytest.raises(ValueError, match="both"):
            parse(f"{BASE}?sslmode=disable&ssl=require")


class TestEngine:
    def test_the_engine_gets_the_ssl_argument_and_a_clean_url(self) -> None:
        engine = pgconnect.create_engine(f"{BASE}?sslmode=require", pool_size=2, max_overflow=1)

        assert "sslmode" not in engine.url.query
        assert pgconnect.target_of(engine).mode is SslMode.require
        assert isinstance(pgconnect.target_of(engine).ssl, ssl.SSLContext)
        assert engine.pool.size() == 2

    def test_an_engine_made_elsewhere_is_read_from_its_url(self) -> None:
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(BASE)  # the case the fallback exists for

        assert pgconnect.target_of(engine).ssl is None


# Calls that open PostgreSQL connections; only shared.pgconnect may make them.
CONNECTING = {("asyncpg", "connect"), ("asyncpg", "create_pool"), (None, "create_async_engine")}


def _source_files() -> Iterator[Path]:
    for pattern in ("shared/src", "gateway/src", "services/*/src", "deploy"):
        for folder in sorted(ROOT.glob(pattern)):
            yield from sorted(folder.rglob("*.py"))


def _connecting_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module in (
            "asyncpg",
            "sqlalchemy.ext.asyncio",
        ):
            names = {alias.name for alias in node.names}
            found += [
                f"{path}:{node.lineno} imports {n}"
                for n in names & {"connect", "create_pool", "create_async_engine"}
            ]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in CONNECTING
        ):
            found.append(f"{path}:{node.lineno} calls {func.value.id}.{func.attr}")
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if (None, name) in CONNECTING:
            found.append(f"{path}:{node.lineno} calls {name}")
    return found


class TestEveryConnectionGoesThroughPgconnect:
    def test_the_scan_sees_the_source(self) -> None:
        files = {p.relative_to(ROOT).as_posix() for p in _source_files()}

        assert "shared/src/shared/messaging/listener.py" in files
        assert "deploy/deskstack/replay.py" in files
        assert _connecting_calls(ROOT / "shared/src/shared/pgconnect.py")  # it does find them

    def test_no_code_connects_around_it(self) -> None:
        helper = ROOT / "shared/src/shared/pgconnect.py"
        offenders = [c for p in _source_files() if p != helper for c in _connecting_calls(p)]

        assert offenders == [], "connect through shared.pgconnect (TLS settings): " + "; ".join(
            offenders
        )
