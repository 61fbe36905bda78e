from enum import StrEnum

class EntryOnDuty(StrEnum):
    ALWAYS = "always"
    NEVER = "never"
    OUT_OF_HOURS = "out_of_hours"

    def __str__(self) -> str:
        return str(self.value)
