from enum import StrEnum

class CrStep(StrEnum):
    ACCEPT = "accept"
    APPROVE = "approve"
    DECLINE = "decline"
    DELIVER = "deliver"
    DEPLOY = "deploy"
    ESTIMATE = "estimate"
    REPORT_DEFECTS = "report_defects"
    SEND_PROPOSAL = "send_proposal"
    START_CUSTOMER_TESTING = "start_customer_testing"
    START_DEVELOPMENT = "start_development"
    SUBMIT_TO_VENDOR_TESTING = "submit_to_vendor_testing"

    def __str__(self) -> str:
        return str(self.value)
