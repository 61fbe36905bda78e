from enum import StrEnum

class RuleTrigger(StrEnum):
    BREACH = "breach"
    WARNING = "warning"

    def __str__(self) -> str:
        return str(self.value)
