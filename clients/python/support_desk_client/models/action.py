from enum import StrEnum

class Action(StrEnum):
    AUTO_CLOSE = "auto_close"
    CLOSE_NOT_PRODUCT_ISSUE = "close_not_product_issue"
    CLOSE_NOT_REPRODUCIBLE = "close_not_reproducible"
    CONFIRM = "confirm"
    REJECT_OUT_OF_SCOPE = "reject_out_of_scope"
    REOPEN = "reopen"
    RESOLVE = "resolve"
    RESUME = "resume"
    TAKE = "take"
    WAIT_FOR_CUSTOMER = "wait_for_customer"

    def __str__(self) -> str:
        return str(self.value)
