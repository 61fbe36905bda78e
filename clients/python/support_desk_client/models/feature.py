from enum import StrEnum

class Feature(StrEnum):
    CONSULTING_ADDITIONAL_FUNCTIONALITY = "consulting_additional_functionality"
    CONSULTING_COMPLEX_PROJECTS = "consulting_complex_projects"
    CRITICAL_INCIDENTS = "critical_incidents"
    CUSTOMER_RESOURCE_ACCESS_MONITORING = "customer_resource_access_monitoring"
    DEDICATED_ENGINEER = "dedicated_engineer"
    DEDICATED_MANAGER = "dedicated_manager"
    IMPROVEMENT_PROPOSALS = "improvement_proposals"
    INSTALLATION_CONSULTING = "installation_consulting"
    KNOWLEDGE_BASE = "knowledge_base"
    ON_SITE_VISIT = "on_site_visit"
    PERFORMANCE_ANALYSIS = "performance_analysis"
    REMOTE_ACCESS = "remote_access"
    SCHEDULED_MAINTENANCE = "scheduled_maintenance"
    UPDATES_ACCESS = "updates_access"

    def __str__(self) -> str:
        return str(self.value)
