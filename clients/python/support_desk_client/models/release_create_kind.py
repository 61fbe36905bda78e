from enum import StrEnum

class ReleaseCreateKind(StrEnum):
    PUBLIC_PATCH = "public_patch"
    RELEASE = "release"

    def __str__(self) -> str:
        return str(self.value)
