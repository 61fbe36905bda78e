from enum import StrEnum

class MailReadSource(StrEnum):
    API = "api"
    IMAP = "imap"
    SMTP = "smtp"

    def __str__(self) -> str:
        return str(self.value)
