"""Entry point: ``python -m escalation {api,migrate}``."""

from escalation.app import create_app
from escalation.config import SCHEMA, Settings
from shared.cli import main
from shared.runtime import migrations_dir

if __name__ == "__main__":
    main(
        prog="escalation",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("escalation"),
        schema=SCHEMA,
    )
