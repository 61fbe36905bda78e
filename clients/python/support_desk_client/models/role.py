from enum import StrEnum

class Role(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    BOT = "bot"
    CUSTOMER = "customer"
    MANAGER = "manager"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
