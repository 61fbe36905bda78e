from enum import StrEnum

class Channel(StrEnum):
    API = "api"
    CHAT = "chat"
    EMAIL = "email"
    PHONE = "phone"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
