from enum import StrEnum

class StaffCreateRole(StrEnum):
    ENGINEER = "engineer"
    LEAD = "lead"
    MANAGER = "manager"

    def __str__(self) -> str:
        return str(self.value)
