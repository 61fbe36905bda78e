from enum import StrEnum

class ScheduleInKind(StrEnum):
    CUSTOM = "custom"
    VALUE_0 = "24x7"
    VALUE_1 = "8x5"

    def __str__(self) -> str:
        return str(self.value)
