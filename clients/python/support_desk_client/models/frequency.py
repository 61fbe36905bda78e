from enum import StrEnum

class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    WEEKLY = "weekly"

    def __str__(self) -> str:
        return str(self.value)
