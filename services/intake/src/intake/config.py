"""Runtime settings for the intake service."""

import os
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from intake.domain.attachments import AttachmentLimits
from intake.domain.config import IntakeConfig
from shared.settings import ServiceSettings

SCHEMA = "intake"
# The address notification sends from (its NOTIFICATION_MAIL_FROM default): the support
# address customers reply to, and so the one the listener takes mail for by default.
DEFAULT_SUPPORT_ADDRESS = "support@support-desk.local"


class SmtpSettings(BaseModel):
    """The inbound SMTP listener (``python -m intake smtp``): ``INTAKE_SMTP__*``."""

    host: str = "127.0.0.1"
    port: int = 2525
    # STARTTLS is offered when both are set (PEM files).
    tls_certfile: str | None = None
    tls_keyfile: str | None = None
    # Larger messages are refused with 552 before their data is stored; the default leaves
    # room for 25 MiB of attachments in base64 (a third more) and the text around them.
    max_message_bytes: int = 36 * 1024 * 1024
    # The name the listener greets with (EHLO/banner).
    hostname: str = "support-desk.local"


class ImapSettings(BaseModel):
    """The IMAP poller (``python -m intake imap``): ``INTAKE_IMAP__*``; off without a host.

    For a vendor who keeps a mailbox at a mail provider: the poller takes each new message
    of ``folder`` into ``inbound_mail`` and only then marks it ``\\Seen`` (or moves it to
    ``processed_folder``, where the whole folder counts as new mail).
    """

    host: str | None = None
    port: int | None = None  # None: 993 with ssl, else 143
    security: Literal["ssl", "starttls", "none"] = "ssl"
    user: str = ""
    password: SecretStr | None = None  # a secret: INTAKE_IMAP__PASSWORD
    folder: str = "INBOX"
    processed_folder: str | None = None
    # Without IDLE (or between IDLE rounds when the server offers it), look this often.
    poll_seconds: float = Field(default=60.0, gt=0)
    # IDLE is re-issued this often (RFC 2177: within 29 minutes, or the server logs us off).
    idle_seconds: float = Field(default=300.0, gt=0, le=29 * 60)
    # Every network call (connect, login, fetch, IDLE's end) gives up after this long.
    timeout_seconds: float = Field(default=30.0, gt=0)
    # Messages taken per round; the rest follow in the next one at once.
    batch: int = Field(default=50, ge=1)
    # After a failure (server away, wrong password, database away): wait this long,
    # doubling up to the maximum, then reconnect.
    retry_seconds: float = Field(default=1.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)

    @property
    def enabled(self) -> bool:
        """Whether the poller has a server to poll."""
        return bool(self.host)

    @property
    def server_port(self) -> int:
        """The port: the one set, else IMAP's own for the security chosen."""
        return self.port or (993 if self.security == "ssl" else 143)


class AttachmentSettings(BaseModel):
    """Where attachments' bytes go and how large they may be (``INTAKE_ATTACHMENTS__*``).

    ``postgres`` (the default) works with any number of replicas and needs nothing else;
    ``local`` keeps files under ``directory`` (one host, or a volume every replica
    mounts); ``s3`` puts them in ``s3_bucket`` of any S3-compatible server.
    """

    backend: Literal["postgres", "local", "s3"] = "postgres"
    directory: Path = Path("var/attachments")
    s3_endpoint_url: str | None = None  # None: AWS itself
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    # Secrets: INTAKE_ATTACHMENTS__S3_ACCESS_KEY_ID / __S3_SECRET_ACCESS_KEY, or unset for
    # boto3's own chain (AWS_* variables, an instance role).
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_timeout_seconds: float = Field(default=10.0, gt=0)
    s3_max_attempts: int = Field(default=4, ge=1)
    max_file_bytes: int = Field(default=AttachmentLimits.max_file_bytes, gt=0)
    max_message_bytes: int = Field(default=AttachmentLimits.max_message_bytes, gt=0)
    max_files: int = Field(default=AttachmentLimits.max_files, gt=0)

    @model_validator(mode="after")
    def _bucket_for_s3(self) -> Self:
        if self.backend == "s3" and not self.s3_bucket:
            raise ValueError(
                "INTAKE_ATTACHMENTS__BACKEND=s3 needs INTAKE_ATTACHMENTS__S3_BUCKET "
                "(and __S3_ENDPOINT_URL for a server other than AWS)"
            )
        return self

    def limits(self) -> AttachmentLimits:
        """The limits as the domain checks them."""
        return AttachmentLimits(
            max_file_bytes=self.max_file_bytes,
            max_message_bytes=self.max_message_bytes,
            max_files=self.max_files,
        )


class Settings(ServiceSettings):
    """intake settings; environment variables start with ``INTAKE_``."""

    model_config = SettingsConfigDict(
        env_prefix="INTAKE_", env_nested_delimiter="__", extra="ignore"
    )

    port: int = 8101
    entitlement_url: str = "http://127.0.0.1:8102"
    entitlement_timeout_seconds: float = 5.0
    registration_prefix: str = "TP"
    # A resolved ticket closes by itself after this many working days of its tier's schedule
    # (the rule's default is the domain's, IntakeConfig: one number, one place).
    auto_close_working_days: int = IntakeConfig.auto_close_working_days
    # Demo/test override of the agreed time, in seconds of wall time (None: working days).
    auto_close_after_seconds: float | None = None
    # Auto-close comes days after resolution: a pass every ten seconds is on time to the
    # eye, and at idle the job costs next to nothing.
    auto_close_poll_seconds: float = 10.0
    # Admission answers from intake's entitlement read model (fed by support.contracts.v1)
    # when it is current, else asks entitlement; false: always ask (as before issue 27).
    entitlement_read_model: bool = True
    # After the change signal's listener (re)connects, how long the read model is not
    # trusted: changes committed while it was down have their events consumed by then.
    entitlement_signal_settle_seconds: float = 10.0
    # How long the tier catalogue from entitlement is cached.
    tiers_cache_seconds: float = 60.0
    kb_suggestions: int = 3
    smtp: SmtpSettings = SmtpSettings()
    imap: ImapSettings = ImapSettings()
    # The desk's own addresses, comma-separated: the only recipients the SMTP listener
    # takes, and mail *from* them is ignored (a loop with our own notifications). Empty:
    # the address notification sends from (NOTIFICATION_MAIL_FROM, else its default).
    support_addresses: str = ""
    # Pending inbound mail is processed when a commit announces it (LISTEN/NOTIFY); this
    # poll is the safety net and the pace of retries after a failure.
    mail_poll_seconds: float = 10.0

    def support_address_list(self) -> list[str]:
        """The support addresses, lower-case, in the order given."""
        if self.support_addresses.strip():
            found = [a for _, a in getaddresses([self.support_addresses]) if "@" in a]
        else:
            sender = os.environ.get("NOTIFICATION_MAIL_FROM", DEFAULT_SUPPORT_ADDRESS)
            found = [parseaddr(sender)[1] or DEFAULT_SUPPORT_ADDRESS]
        return list(dict.fromkeys(a.strip().lower() for a in found))

    attachments: AttachmentSettings = AttachmentSettings()
