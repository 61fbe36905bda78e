from enum import StrEnum

class ContractReadStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
