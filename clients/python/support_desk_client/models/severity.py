from enum import StrEnum

class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"

    def __str__(self) -> str:
        return str(self.value)
