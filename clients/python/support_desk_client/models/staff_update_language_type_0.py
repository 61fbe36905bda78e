from enum import StrEnum

class StaffUpdateLanguageType0(StrEnum):
    EN = "en"
    RU = "ru"

    def __str__(self) -> str:
        return str(self.value)
