from enum import StrEnum

class BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource(StrEnum):
    API = "api"
    PORTAL = "portal"

    def __str__(self) -> str:
        return str(self.value)
