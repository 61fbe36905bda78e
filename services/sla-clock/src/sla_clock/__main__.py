"""Entry point: ``python -m sla_clock {api,migrate}``."""

from shared.cli import main
from shared.runtime import migrations_dir
from sla_clock.app import create_app
from sla_clock.config import SCHEMA, Settings

if __name__ == "__main__":
    main(
        prog="sla_clock",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("sla_clock"),
        schema=SCHEMA,
    )
