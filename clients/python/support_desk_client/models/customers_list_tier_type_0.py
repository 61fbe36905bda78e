from enum import StrEnum

class CustomersListTierType0(StrEnum):
    BASIC = "basic"
    BUSINESS = "business"
    EXTENDED = "extended"
    PREMIUM = "premium"
    STANDARD = "standard"

    def __str__(self) -> str:
        return str(self.value)
