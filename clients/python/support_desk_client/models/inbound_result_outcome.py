from enum import StrEnum

class InboundResultOutcome(StrEnum):
    COMMENT_ADDED = "comment_added"
    TICKET_CREATED = "ticket_created"

    def __str__(self) -> str:
        return str(self.value)
