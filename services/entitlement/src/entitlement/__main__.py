"""Entry point: ``python -m entitlement {api,migrate}``."""

from entitlement.app import create_app
from entitlement.config import SCHEMA, Settings
from shared.cli import main
from shared.runtime import migrations_dir

if __name__ == "__main__":
    main(
        prog="entitlement",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("entitlement"),
        schema=SCHEMA,
    )
