from enum import StrEnum

class CorrectiveKind(StrEnum):
    ACTION_PLAN = "action_plan"
    SOLUTION = "solution"
    WORKAROUND = "workaround"

    def __str__(self) -> str:
        return str(self.value)
