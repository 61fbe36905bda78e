from enum import StrEnum

class OutsideWindow(StrEnum):
    MOVE = "move"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
