from enum import StrEnum

class HistoryStepInKind(StrEnum):
    CLOSED = "closed"
    CLOSED_NOT_PRODUCT_ISSUE = "closed_not_product_issue"
    CLOSED_NOT_REPRODUCIBLE = "closed_not_reproducible"
    CORRECTIVE_ACTION = "corrective_action"
    REJECTED_OUT_OF_SCOPE = "rejected_out_of_scope"
    REOPENED = "reopened"
    RESOLVED = "resolved"
    RESUMED = "resumed"
    SEVERITY_CHANGED = "severity_changed"
    TAKEN_INTO_WORK = "taken_into_work"
    TIER_CHANGED = "tier_changed"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
