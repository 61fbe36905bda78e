from enum import StrEnum

class CriticalResolutionStart(StrEnum):
    CONFIRMATION = "confirmation"
    REGISTRATION = "registration"

    def __str__(self) -> str:
        return str(self.value)
