from enum import StrEnum

class RuleTimer(StrEnum):
    RESOLUTION = "resolution"
    RESPONSE = "response"

    def __str__(self) -> str:
        return str(self.value)
