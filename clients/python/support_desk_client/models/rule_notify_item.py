from enum import StrEnum

class RuleNotifyItem(StrEnum):
    ASSIGNEE = "assignee"
    CONTACTS = "contacts"
    DEDICATED_ENGINEER = "dedicated_engineer"
    DEDICATED_MANAGER = "dedicated_manager"
    LINE_LEAD = "line_lead"
    ON_DUTY = "on_duty"

    def __str__(self) -> str:
        return str(self.value)
