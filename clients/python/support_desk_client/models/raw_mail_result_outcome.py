from enum import StrEnum

class RawMailResultOutcome(StrEnum):
    IGNORED = "ignored"
    PENDING = "pending"
    UNKNOWN_SENDER = "unknown_sender"

    def __str__(self) -> str:
        return str(self.value)
