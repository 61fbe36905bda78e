from enum import StrEnum

class ServiceSubtype(StrEnum):
    PERFORMANCE_ANALYSIS = "performance_analysis"

    def __str__(self) -> str:
        return str(self.value)
