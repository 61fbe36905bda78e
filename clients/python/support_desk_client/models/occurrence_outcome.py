from enum import StrEnum

class OccurrenceOutcome(StrEnum):
    MOVED = "moved"
    SCHEDULED = "scheduled"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
