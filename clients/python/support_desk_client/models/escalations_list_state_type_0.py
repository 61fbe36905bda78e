from enum import StrEnum

class EscalationsListStateType0(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
