from enum import StrEnum

class VisitStep(StrEnum):
    CANCEL = "cancel"
    COMPLETE = "complete"
    SCHEDULE = "schedule"

    def __str__(self) -> str:
        return str(self.value)
