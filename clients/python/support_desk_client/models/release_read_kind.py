from enum import StrEnum

class ReleaseReadKind(StrEnum):
    PUBLIC_PATCH = "public_patch"
    RELEASE = "release"

    def __str__(self) -> str:
        return str(self.value)
