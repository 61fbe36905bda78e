from enum import StrEnum

class MailDetailSource(StrEnum):
    API = "api"
    IMAP = "imap"
    SMTP = "smtp"

    def __str__(self) -> str:
        return str(self.value)
