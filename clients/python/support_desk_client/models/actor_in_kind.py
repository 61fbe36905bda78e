from enum import StrEnum

class ActorInKind(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"

    def __str__(self) -> str:
        return str(self.value)
