""" Contains all the data models used in inputs/outputs """

from .action import Action
from .actor_in import ActorIn
from .actor_in_kind import ActorInKind
from .agreed_window_in import AgreedWindowIn
from .alert_decision_read import AlertDecisionRead
from .alert_status import AlertStatus
from .alertmanager_alert import AlertmanagerAlert
from .alertmanager_alert_annotations import AlertmanagerAlertAnnotations
from .alertmanager_alert_labels import AlertmanagerAlertLabels
from .alertmanager_payload import AlertmanagerPayload
from .alertmanager_payload_commonannotations import AlertmanagerPayloadCommonannotations
from .alertmanager_payload_commonlabels import AlertmanagerPayloadCommonlabels
from .alertmanager_payload_grouplabels import AlertmanagerPayloadGrouplabels
from .alertmanager_result import AlertmanagerResult
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_read import ApiKeyRead
from .api_key_rotate import ApiKeyRotate
from .api_key_rotated import ApiKeyRotated
from .article_create import ArticleCreate
from .article_create_kind import ArticleCreateKind
from .article_read import ArticleRead
from .article_ref import ArticleRef
from .assign_create import AssignCreate
from .attachment_in import AttachmentIn
from .attachment_read import AttachmentRead
from .attempt_read import AttemptRead
from .audit_entry import AuditEntry
from .audit_page import AuditPage
from .body_upload_attachments_api_v1_tickets_ticket_id_attachments_post import BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost
from .body_upload_attachments_api_v1_tickets_ticket_id_attachments_post_source import BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource
from .calendar_in import CalendarIn
from .calendar_read import CalendarRead
from .calendar_read_overrides import CalendarReadOverrides
from .calendar_read_schedules import CalendarReadSchedules
from .calendar_read_schedules_additional_property import CalendarReadSchedulesAdditionalProperty
from .change_request_read import ChangeRequestRead
from .change_request_read_details import ChangeRequestReadDetails
from .change_request_step import ChangeRequestStep
from .channel import Channel
from .chat_in import ChatIn
from .comment_create import CommentCreate
from .comment_read import CommentRead
from .comment_read_attachments_item import CommentReadAttachmentsItem
from .contact_create import ContactCreate
from .contact_create_language import ContactCreateLanguage
from .contact_read import ContactRead
from .contact_read_language import ContactReadLanguage
from .contact_update import ContactUpdate
from .contact_update_language_type_0 import ContactUpdateLanguageType0
from .contract_create import ContractCreate
from .contract_create_alert_severity_map_type_0 import ContractCreateAlertSeverityMapType0
from .contract_policy_in import ContractPolicyIn
from .contract_policy_in_targets import ContractPolicyInTargets
from .contract_read import ContractRead
from .contract_read_alert_severity_map_type_0 import ContractReadAlertSeverityMapType0
from .contract_read_escalation_policy_type_0 import ContractReadEscalationPolicyType0
from .contract_read_status import ContractReadStatus
from .contract_read_tier import ContractReadTier
from .contract_update import ContractUpdate
from .contract_update_alert_severity_map_type_0 import ContractUpdateAlertSeverityMapType0
from .corrective_action_create import CorrectiveActionCreate
from .corrective_kind import CorrectiveKind
from .cr_step import CrStep
from .critical_resolution_start import CriticalResolutionStart
from .customer_create import CustomerCreate
from .customer_page import CustomerPage
from .customer_read import CustomerRead
from .customer_read_tier_type_0 import CustomerReadTierType0
from .customer_update import CustomerUpdate
from .customers_list_tier_type_0 import CustomersListTierType0
from .duty_create import DutyCreate
from .duty_create_line_type_0 import DutyCreateLineType0
from .duty_read import DutyRead
from .entitlement_read import EntitlementRead
from .entitlement_read_alert_severity_map_type_0 import EntitlementReadAlertSeverityMapType0
from .entitlement_read_features import EntitlementReadFeatures
from .entitlement_read_schedule import EntitlementReadSchedule
from .entitlement_read_targets import EntitlementReadTargets
from .entitlement_read_targets_additional_property import EntitlementReadTargetsAdditionalProperty
from .entitlement_read_tier import EntitlementReadTier
from .entry import Entry
from .entry_on_duty import EntryOnDuty
from .escalation_create import EscalationCreate
from .escalation_policies_list_response_200_item import EscalationPoliciesListResponse200Item
from .escalation_policy import EscalationPolicy
from .escalation_policy_ola_hours import EscalationPolicyOlaHours
from .escalation_read import EscalationRead
from .escalation_read_recipients_item import EscalationReadRecipientsItem
from .escalations_list_state_type_0 import EscalationsListStateType0
from .events_catalogue_response_event_catalogue_asyncapi_json_get import EventsCatalogueResponseEventCatalogueAsyncapiJsonGet
from .failing_address_read import FailingAddressRead
from .feature import Feature
from .frequency import Frequency
from .hardware_fault_create import HardwareFaultCreate
from .health_live_response_live_health_live_get import HealthLiveResponseLiveHealthLiveGet
from .history_step_in import HistoryStepIn
from .history_step_in_kind import HistoryStepInKind
from .history_step_in_policy_type_0 import HistoryStepInPolicyType0
from .inbound_result import InboundResult
from .inbound_result_outcome import InboundResultOutcome
from .intake_email_json_email_in import IntakeEmailJsonEmailIn
from .invitation_create import InvitationCreate
from .invitation_read import InvitationRead
from .mail_attachment_summary import MailAttachmentSummary
from .mail_detail import MailDetail
from .mail_detail_source import MailDetailSource
from .mail_detail_status import MailDetailStatus
from .mail_page import MailPage
from .mail_read import MailRead
from .mail_read_source import MailReadSource
from .mail_read_status import MailReadStatus
from .mail_summary import MailSummary
from .maintenance_plan_in import MaintenancePlanIn
from .maintenance_plan_read import MaintenancePlanRead
from .move_in import MoveIn
from .notification_read import NotificationRead
from .notification_read_channel_type_0 import NotificationReadChannelType0
from .occurrence_outcome import OccurrenceOutcome
from .occurrence_read import OccurrenceRead
from .outside_window import OutsideWindow
from .pause_in import PauseIn
from .person import Person
from .person_language_type_0 import PersonLanguageType0
from .phone_confirmation_create import PhoneConfirmationCreate
from .policy_document import PolicyDocument
from .policy_document_schedules import PolicyDocumentSchedules
from .policy_document_severity_caps import PolicyDocumentSeverityCaps
from .policy_document_targets import PolicyDocumentTargets
from .policy_document_targets_additional_property import PolicyDocumentTargetsAdditionalProperty
from .preview_in import PreviewIn
from .preview_in_policy_type_0 import PreviewInPolicyType0
from .problem import Problem
from .problem_field import ProblemField
from .queue_item import QueueItem
from .raw_mail_result import RawMailResult
from .raw_mail_result_outcome import RawMailResultOutcome
from .release_create import ReleaseCreate
from .release_create_kind import ReleaseCreateKind
from .release_read import ReleaseRead
from .release_read_kind import ReleaseReadKind
from .remote_access_set import RemoteAccessSet
from .role import Role
from .rule import Rule
from .rule_notify_item import RuleNotifyItem
from .rule_timer import RuleTimer
from .rule_trigger import RuleTrigger
from .schedule_document import ScheduleDocument
from .schedule_in import ScheduleIn
from .schedule_in_kind import ScheduleInKind
from .service_subtype import ServiceSubtype
from .session_read import SessionRead
from .severity import Severity
from .severity_change import SeverityChange
from .simulate_in import SimulateIn
from .simulate_in_policy_type_0 import SimulateInPolicyType0
from .simulate_in_schedule_type_0 import SimulateInScheduleType0
from .skip_in import SkipIn
from .sla_preview_response_preview_api_v1_sla_preview_post import SlaPreviewResponsePreviewApiV1SlaPreviewPost
from .sla_read import SlaRead
from .sla_rebuild_response_rebuild_open_api_v1_sla_rebuild_post import SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost
from .sla_simulate_response_simulate_history_api_v1_sla_simulate_post import SlaSimulateResponseSimulateHistoryApiV1SlaSimulatePost
from .sla_tickets_rebuild_response_rebuild_api_v1_sla_tickets_ticket_id_rebuild_post import SlaTicketsRebuildResponseRebuildApiV1SlaTicketsTicketIdRebuildPost
from .staff_create import StaffCreate
from .staff_create_language import StaffCreateLanguage
from .staff_create_line import StaffCreateLine
from .staff_create_role import StaffCreateRole
from .staff_list_role_type_0 import StaffListRoleType0
from .staff_read import StaffRead
from .staff_update import StaffUpdate
from .staff_update_language_type_0 import StaffUpdateLanguageType0
from .staff_update_line_type_0 import StaffUpdateLineType0
from .staff_update_role_type_0 import StaffUpdateRoleType0
from .target_in import TargetIn
from .targets_document import TargetsDocument
from .ticket_create import TicketCreate
from .ticket_page import TicketPage
from .ticket_read import TicketRead
from .ticket_read_attachments_item import TicketReadAttachmentsItem
from .ticket_read_corrective_actions_item import TicketReadCorrectiveActionsItem
from .ticket_read_cr_details import TicketReadCrDetails
from .ticket_type import TicketType
from .tickets_sla_explain_response_explain_api_v1_tickets_ticket_id_sla_explain_get import TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet
from .tickets_sla_get_response_ticket_sla_api_v1_tickets_ticket_id_sla_get import TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet
from .tier import Tier
from .tier_read import TierRead
from .tier_read_features import TierReadFeatures
from .tier_read_schedule import TierReadSchedule
from .tier_read_targets import TierReadTargets
from .tier_read_targets_additional_property import TierReadTargetsAdditionalProperty
from .tier_read_tier import TierReadTier
from .timer_read import TimerRead
from .transition_create import TransitionCreate
from .upload_read import UploadRead
from .visit_create import VisitCreate
from .visit_read import VisitRead
from .visit_step import VisitStep
from .visit_step_create import VisitStepCreate
from .webhook_create import WebhookCreate
from .webhook_created import WebhookCreated
from .webhook_read import WebhookRead
from .window_kind import WindowKind

__all__ = (
    "Action",
    "ActorIn",
    "ActorInKind",
    "AgreedWindowIn",
    "AlertDecisionRead",
    "AlertmanagerAlert",
    "AlertmanagerAlertAnnotations",
    "AlertmanagerAlertLabels",
    "AlertmanagerPayload",
    "AlertmanagerPayloadCommonannotations",
    "AlertmanagerPayloadCommonlabels",
    "AlertmanagerPayloadGrouplabels",
    "AlertmanagerResult",
    "AlertStatus",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyRead",
    "ApiKeyRotate",
    "ApiKeyRotated",
    "ArticleCreate",
    "ArticleCreateKind",
    "ArticleRead",
    "ArticleRef",
    "AssignCreate",
    "AttachmentIn",
    "AttachmentRead",
    "AttemptRead",
    "AuditEntry",
    "AuditPage",
    "BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPost",
    "BodyUploadAttachmentsApiV1TicketsTicketIdAttachmentsPostSource",
    "CalendarIn",
    "CalendarRead",
    "CalendarReadOverrides",
    "CalendarReadSchedules",
    "CalendarReadSchedulesAdditionalProperty",
    "ChangeRequestRead",
    "ChangeRequestReadDetails",
    "ChangeRequestStep",
    "Channel",
    "ChatIn",
    "CommentCreate",
    "CommentRead",
    "CommentReadAttachmentsItem",
    "ContactCreate",
    "ContactCreateLanguage",
    "ContactRead",
    "ContactReadLanguage",
    "ContactUpdate",
    "ContactUpdateLanguageType0",
    "ContractCreate",
    "ContractCreateAlertSeverityMapType0",
    "ContractPolicyIn",
    "ContractPolicyInTargets",
    "ContractRead",
    "ContractReadAlertSeverityMapType0",
    "ContractReadEscalationPolicyType0",
    "ContractReadStatus",
    "ContractReadTier",
    "ContractUpdate",
    "ContractUpdateAlertSeverityMapType0",
    "CorrectiveActionCreate",
    "CorrectiveKind",
    "CriticalResolutionStart",
    "CrStep",
    "CustomerCreate",
    "CustomerPage",
    "CustomerRead",
    "CustomerReadTierType0",
    "CustomersListTierType0",
    "CustomerUpdate",
    "DutyCreate",
    "DutyCreateLineType0",
    "DutyRead",
    "EntitlementRead",
    "EntitlementReadAlertSeverityMapType0",
    "EntitlementReadFeatures",
    "EntitlementReadSchedule",
    "EntitlementReadTargets",
    "EntitlementReadTargetsAdditionalProperty",
    "EntitlementReadTier",
    "Entry",
    "EntryOnDuty",
    "EscalationCreate",
    "EscalationPoliciesListResponse200Item",
    "EscalationPolicy",
    "EscalationPolicyOlaHours",
    "EscalationRead",
    "EscalationReadRecipientsItem",
    "EscalationsListStateType0",
    "EventsCatalogueResponseEventCatalogueAsyncapiJsonGet",
    "FailingAddressRead",
    "Feature",
    "Frequency",
    "HardwareFaultCreate",
    "HealthLiveResponseLiveHealthLiveGet",
    "HistoryStepIn",
    "HistoryStepInKind",
    "HistoryStepInPolicyType0",
    "InboundResult",
    "InboundResultOutcome",
    "IntakeEmailJsonEmailIn",
    "InvitationCreate",
    "InvitationRead",
    "MailAttachmentSummary",
    "MailDetail",
    "MailDetailSource",
    "MailDetailStatus",
    "MailPage",
    "MailRead",
    "MailReadSource",
    "MailReadStatus",
    "MailSummary",
    "MaintenancePlanIn",
    "MaintenancePlanRead",
    "MoveIn",
    "NotificationRead",
    "NotificationReadChannelType0",
    "OccurrenceOutcome",
    "OccurrenceRead",
    "OutsideWindow",
    "PauseIn",
    "Person",
    "PersonLanguageType0",
    "PhoneConfirmationCreate",
    "PolicyDocument",
    "PolicyDocumentSchedules",
    "PolicyDocumentSeverityCaps",
    "PolicyDocumentTargets",
    "PolicyDocumentTargetsAdditionalProperty",
    "PreviewIn",
    "PreviewInPolicyType0",
    "Problem",
    "ProblemField",
    "QueueItem",
    "RawMailResult",
    "RawMailResultOutcome",
    "ReleaseCreate",
    "ReleaseCreateKind",
    "ReleaseRead",
    "ReleaseReadKind",
    "RemoteAccessSet",
    "Role",
    "Rule",
    "RuleNotifyItem",
    "RuleTimer",
    "RuleTrigger",
    "ScheduleDocument",
    "ScheduleIn",
    "ScheduleInKind",
    "ServiceSubtype",
    "SessionRead",
    "Severity",
    "SeverityChange",
    "SimulateIn",
    "SimulateInPolicyType0",
    "SimulateInScheduleType0",
    "SkipIn",
    "SlaPreviewResponsePreviewApiV1SlaPreviewPost",
    "SlaRead",
    "SlaRebuildResponseRebuildOpenApiV1SlaRebuildPost",
    "SlaSimulateResponseSimulateHistoryApiV1SlaSimulatePost",
    "SlaTicketsRebuildResponseRebuildApiV1SlaTicketsTicketIdRebuildPost",
    "StaffCreate",
    "StaffCreateLanguage",
    "StaffCreateLine",
    "StaffCreateRole",
    "StaffListRoleType0",
    "StaffRead",
    "StaffUpdate",
    "StaffUpdateLanguageType0",
    "StaffUpdateLineType0",
    "StaffUpdateRoleType0",
    "TargetIn",
    "TargetsDocument",
    "TicketCreate",
    "TicketPage",
    "TicketRead",
    "TicketReadAttachmentsItem",
    "TicketReadCorrectiveActionsItem",
    "TicketReadCrDetails",
    "TicketsSlaExplainResponseExplainApiV1TicketsTicketIdSlaExplainGet",
    "TicketsSlaGetResponseTicketSlaApiV1TicketsTicketIdSlaGet",
    "TicketType",
    "Tier",
    "TierRead",
    "TierReadFeatures",
    "TierReadSchedule",
    "TierReadTargets",
    "TierReadTargetsAdditionalProperty",
    "TierReadTier",
    "TimerRead",
    "TransitionCreate",
    "UploadRead",
    "VisitCreate",
    "VisitRead",
    "VisitStep",
    "VisitStepCreate",
    "WebhookCreate",
    "WebhookCreated",
    "WebhookRead",
    "WindowKind",
)
