"""Entry point: ``python -m gateway {api,migrate}``."""

from pathlib import Path

import gateway
from gateway.app import create_app
from gateway.config import SCHEMA, Settings
from shared.cli import main

if __name__ == "__main__":
    main(
        prog="gateway",
        settings_class=Settings,
        create_app=create_app,
        migrations=Path(gateway.__file__).resolve().parents[2] / "migrations",
        schema=SCHEMA,
    )
