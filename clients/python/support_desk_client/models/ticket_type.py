from enum import StrEnum

class TicketType(StrEnum):
    CHANGE_REQUEST = "change_request"
    INCIDENT = "incident"
    SERVICE_REQUEST = "service_request"

    def __str__(self) -> str:
        return str(self.value)
