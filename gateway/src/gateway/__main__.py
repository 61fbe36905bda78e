"""Entry point: ``python -m gateway {api,migrate}``."""

from gateway.app import create_app
from gateway.config import SCHEMA, Settings
from shared.cli import main
from shared.runtime import migrations_dir

if __name__ == "__main__":
    main(
        prog="gateway",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("gateway"),
        schema=SCHEMA,
    )
