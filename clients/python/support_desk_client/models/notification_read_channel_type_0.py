from enum import StrEnum

class NotificationReadChannelType0(StrEnum):
    CHAT = "chat"
    EMAIL = "email"
    WEBHOOK = "webhook"

    def __str__(self) -> str:
        return str(self.value)
