from enum import StrEnum

class WindowKind(StrEnum):
    AGREED = "agreed"
    WORKING_TIME = "working_time"

    def __str__(self) -> str:
        return str(self.value)
