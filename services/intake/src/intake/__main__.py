"""Entry point: ``python -m intake {api,migrate,smtp,imap}``."""

from intake.app import create_app
from intake.config import SCHEMA, Settings
from intake.imap import run_imap
from intake.smtp import run_smtp
from shared.cli import main
from shared.runtime import migrations_dir

if __name__ == "__main__":
    main(
        prog="intake",
        settings_class=Settings,
        create_app=create_app,
        migrations=migrations_dir("intake"),
        schema=SCHEMA,
        commands={"smtp": run_smtp, "imap": run_imap},
    )
