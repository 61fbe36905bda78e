"""Entry point: ``python -m notification {api,migrate}``."""

from notification.app import create_app
from notification.config import SCHEMA, Settings
from shared.cli import main
from shared.runtime import migrations_dir

if __name__ == "__main__":
    main(
        prog="notification",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("notification"),
        schema=SCHEMA,
    )
