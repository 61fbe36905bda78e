"""Entry point: ``python -m intake {api,migrate}``."""

from intake.app import create_app
from intake.config import SCHEMA, Settings
from shared.cli import main
from shared.runtime import migrations_dir

if __name__ == "__main__":
    main(
        prog="intake",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("intake"),
        schema=SCHEMA,
    )
