from enum import StrEnum

class ArticleCreateKind(StrEnum):
    KNOWN_ERROR = "known_error"
    TYPICAL_SOLUTION = "typical_solution"

    def __str__(self) -> str:
        return str(self.value)
