from enum import StrEnum

class MailReadStatus(StrEnum):
    COMMENT_ADDED = "comment_added"
    FAILED = "failed"
    IGNORED = "ignored"
    PENDING = "pending"
    TICKET_CREATED = "ticket_created"
    UNKNOWN_SENDER = "unknown_sender"

    def __str__(self) -> str:
        return str(self.value)
