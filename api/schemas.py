"""Request and response models of the web API (pydantic at the edge).

Response models name the fields every client may rely on and allow more (``extra="allow"``):
the query layer may add fields (tags, reasons, evidence) without breaking the contract.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from graph.fields import SOLID, IsoDate, json_integer
from ingest.normalize import PROVINCE_NAMES

# Text fields with something besides blanks, stripped once valid: the limits are checked before stripping,
# so they are exactly those the OpenAPI schema states.
_NOT_BLANK = SOLID
ShortStr = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_NOT_BLANK), AfterValidator(str.strip)]
NameStr = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=_NOT_BLANK), AfterValidator(str.strip)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=_NOT_BLANK), AfterValidator(str.strip)]
Severity = Literal["high", "medium", "low"]
AlertStatus = Literal["open", "assigned", "confirmed", "dismissed", "rectification", "rectified", "penalized", "closed"]
Grade = Literal["A", "B", "C", "D"]
RoleName = Literal["manager", "inspector", "unit_hr", "admin"]


def _province(value: str) -> str:
    if value not in PROVINCE_NAMES:
        raise ValueError("a province's name, short or full (e.g. 浙江 or 浙江省)")
    return value


ProvinceName = Annotated[str, AfterValidator(_province),
                         WithJsonSchema({"type": "string", "enum": list(PROVINCE_NAMES)})]


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class HealthPublic(BaseModel):
    status: str
    neo4j: bool
    version: str | None = None
    warmup: str | None = Field(None, description="background warm-up: nlp / expert_index / embedder / ready")
    embedder: bool | None = Field(None, description="embedding model loaded (search is hybrid)")


class MePublic(BaseModel):
    user_id: str
    role: RoleName
    unit_id: str | None = None
    name: str | None = None
    unmasked: bool


class ExpertPublic(Open):
    expert_id: str | None = None
    person_id: str | None = None
    person_ref: str | None = Field(None, description="pseudonym to open the portrait when person_id is masked")
    name: str | None = None
    score: float | None = None
    reasons: list[Any] | None = None


class ExpertsPublic(BaseModel):
    data: list[ExpertPublic]
    count: int


class RecommendIn(BaseModel):
    """A panel request (as `plantalent experts recommend --json`)."""

    model_config = ConfigDict(extra="forbid")
    text: LongText
    plan_type: Annotated[str, StringConstraints(max_length=50)] | None = None
    level: Annotated[str, StringConstraints(max_length=20)] | None = Field(None, description="省级/市级/县级/乡镇级")
    province: Annotated[str, StringConstraints(max_length=30)] | None = None
    exclude_unit_ids: Annotated[list[ShortStr], Field(max_length=200)] = []
    k: Annotated[int, Field(ge=1, le=100), BeforeValidator(json_integer)] = 10
    as_of: IsoDate | None = None
    spread_provinces: StrictBool = Field(False, description="at most ceil(k/3) experts per province")


class ExpertStatusIn(BaseModel):
    """A decision on an expert's pool status; the reason is kept in the status history and the audit log."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["在库", "暂停", "出库"]
    reason: LongText


class ExcludedPublic(Open):
    expert_id: str | None = None
    reason: Any = None


class RecommendationPublic(BaseModel):
    experts: list[ExpertPublic]
    excluded: list[ExcludedPublic]


class HistoryEntryPublic(Open):
    kind: str | None = Field(None, description="the kind of record: unit, person, registration, employment, insurance, "
                                               "expert, project, membership, application, declaration, award, violation, "
                                               "reorganization")
    key: str | None = Field(None, description="the record key")
    state: str | None = Field(None, description="changed (an earlier version) / retired (by a snapshot load) / "
                                                "set_aside (by an upheld dispute)")
    values: dict[str, Any] = {}
    source: dict[str, Any] = Field({}, description="file, line, load_id, loaded_at of these values")
    replaced_by: str | None = Field(None, description="the load that changed the values")
    replaced_at: str | None = None
    retired_by: str | None = Field(None, description="the snapshot load that retired the record")
    retired_at: str | None = None
    set_aside_by: str | None = Field(None, description="the dispute that set the record aside")
    set_aside_at: str | None = None


class HistoryPublic(BaseModel):
    versions: list[HistoryEntryPublic] = []
    withdrawn: list[HistoryEntryPublic] = Field([], description="records retired or set aside")


class PortraitPublic(Open):
    person_id: str | None = None
    person_ref: str | None = None
    name: str | None = None
    history: HistoryPublic | None = Field(None, description="inspector/admin only: earlier values and retired records")


class UnitPublic(Open):
    """A unit; inspectors and admins also get ``open_alerts`` (the unit's open alerts)."""

    unit: dict[str, Any]
    parent: dict[str, Any] | None = None
    staff_current: int = 0
    registered_current: int = 0
    insured_current: int = 0
    project_count: int = 0
    projects: list[dict[str, Any]] = []
    awards: list[dict[str, Any]] = []
    violations: list[dict[str, Any]] = []
    credit: dict[str, Any] | None = None
    source: dict[str, Any] | None = Field(None, description="inspector/admin only: file, line, load of the unit's values")
    history: HistoryPublic | None = Field(None, description="inspector/admin only: earlier values and retired records")


class StaffMemberPublic(Open):
    person_id: str
    person_ref: str | None = None
    name: str | None = None
    current: bool
    registered: bool
    records: list[dict[str, Any]]


class RosterMemberPublic(Open):
    person_id: str
    person_ref: str | None = None
    name: str | None = None
    registrations: list[dict[str, Any]]
    employments: list[dict[str, Any]]
    insurance: list[dict[str, Any]]
    consistent: bool
    issues: list[str]
    disputes: list[dict[str, Any]] = []


class RosterPublic(BaseModel):
    month: str = Field(description="YYYY-MM")
    data: list[RosterMemberPublic]
    count: int


class StaffPublic(BaseModel):
    data: list[StaffMemberPublic]
    count: int


class AlertPublic(Open):
    alert_id: str
    rule: str | None = None
    severity: str | None = None
    score: float | None = None
    status: str | None = None
    summary: str | None = None
    person_ids: list[str] | None = None
    unit_ids: list[str] | None = None


class AlertsPublic(BaseModel):
    data: list[AlertPublic]
    count: int


class GraphPublic(Open):
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []


class AlertDetailPublic(AlertPublic):
    graph: GraphPublic = GraphPublic()


Comment = Annotated[str, StringConstraints(max_length=2000), AfterValidator(str.strip)]


class RectificationIn(BaseModel):
    """整改: the unit has until ``deadline`` to put it right (the alert becomes ``rectification``)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["rectification"]
    deadline: date


class PenaltyIn(BaseModel):
    """处罚: a violation record ``V-{alert_id}`` deducting ``points`` (the alert becomes ``penalized``)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["penalty"]
    points: Annotated[int, Field(ge=0, le=1000)]
    penalty: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NOT_BLANK), AfterValidator(str.strip)] | None = Field(
        None, description="the measure (警告、通报批评、信用扣分…); default 信用扣分")
    subject_ids: Annotated[list[ShortStr], Field(max_length=50)] = Field(
        [], description="persons/units it is against (default: all the alert concerns)")


class AlertStatusIn(BaseModel):
    """An inspector's decision on an alert (DESIGN.md Casework, alert lifecycle); kept in the alert's
    history and the audit log."""

    # What each status needs (the validator below), said in the schema too for clients (and schemathesis).
    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [
        {"if": {"properties": {"status": {"enum": ["dismissed", "open"]}}, "required": ["status"]},
         "then": {"required": ["comment"], "properties": {"comment": {"type": "string", "pattern": SOLID}}}},
        {"if": {"properties": {"status": {"const": "assigned"}}, "required": ["status"]},
         "then": {"required": ["assignee"], "properties": {"assignee": {"type": "string", "pattern": SOLID}}}},
        {"if": {"properties": {"outcome": {"type": "object"}}, "required": ["outcome"]},
         "then": {"properties": {"status": {"const": "confirmed"}}}},
    ]})
    status: Literal["open", "assigned", "confirmed", "dismissed", "rectified"] = Field(
        description="assigned 分派 / confirmed 确认属实 (with outcome: 整改 or 处罚) / dismissed 排除 / "
                    "open 重新打开 a dismissed one / rectified 整改完成 (closed is set by detection only)")
    comment: Comment = Field("", description="the reason; required to dismiss or reopen")
    assignee: NameStr | None = Field(
        None, description="user_id or name of the inspector/admin (status assigned)")
    due: date | None = Field(None, description="due date of an assignment")
    outcome: Annotated[RectificationIn | PenaltyIn, Field(discriminator="kind")] | None = None

    @model_validator(mode="after")
    def _needs(self) -> AlertStatusIn:
        if self.status in ("dismissed", "open") and not self.comment:
            raise ValueError(f"status {self.status} needs a comment (the reason)")
        if self.status == "assigned" and not self.assignee:
            raise ValueError("status assigned needs an assignee")
        if self.outcome is not None and self.status != "confirmed":
            raise ValueError("an outcome is posted with status confirmed")
        return self


class LookupPublic(BaseModel):
    persons: list[dict[str, Any]] = Field(description="person_id (masked unless inspector/admin), person_ref, name, title, units, matched")
    units: list[dict[str, Any]] = Field(description="unit_id, name, province, city, grade, external, matched")
    projects: list[dict[str, Any]] = Field(description="project_id, name, province, level, lead_unit, matched")


class RecordRefIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["registration", "employment", "insurance", "membership"]
    key: Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=_NOT_BLANK), AfterValidator(str.strip)] = Field(
        description="the record's record_key from the portrait")


class DisputeIn(BaseModel):
    """Unit HR's dispute (异议) on a record of one of its staff."""

    model_config = ConfigDict(extra="forbid")
    person_id: ShortStr = Field(description="ID number or the person_ref (p_...) of the portrait")
    record: RecordRefIn
    reason: LongText


class DisputeResolveIn(BaseModel):
    # A rejection needs its reason: said in the schema too, so that clients (and schemathesis) know it.
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "if": {"properties": {"outcome": {"const": "rejected"}}, "required": ["outcome"]},
        "then": {"required": ["comment"], "properties": {"comment": {"type": "string", "pattern": SOLID}}}})
    outcome: Literal["upheld", "rejected"]
    comment: Comment = Field("", description="the reason; required to reject")

    @model_validator(mode="after")
    def _reason(self) -> DisputeResolveIn:
        if self.outcome == "rejected" and not self.comment:
            raise ValueError("rejecting a dispute needs a comment (the reason)")
        return self


class DisputePublic(Open):
    dispute_id: str
    person_id: str | None = None
    person_ref: str | None = None
    person_name: str | None = None
    unit_id: str | None = None
    kind: str
    record_key: str
    record: dict[str, Any] | None = None
    reason: str | None = None
    status: Literal["open", "upheld", "rejected"]


class DisputesPublic(BaseModel):
    data: list[DisputePublic]
    count: int


class NoticePublic(Open):
    notice_id: str
    kind: str
    title: str
    link: str | None = None
    read: bool
    at: str | None = None


class InboxPublic(BaseModel):
    data: list[NoticePublic]
    count: int
    unread: int


class ReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notice_ids: Annotated[list[Annotated[str, StringConstraints(max_length=300)]], Field(max_length=500)] = []


class CreditsPublic(BaseModel):
    data: list[dict[str, Any]]
    count: int


class StatsPublic(Open):
    scope: Literal["all", "province", "unit"]


class JobPublic(Open):
    job_id: str
    kind: str | None = Field(None, description="ingest (load, tag, detect, credit) or refresh (tag, detect, credit)")
    status: str | None = Field(None, description="queued / running / done / failed / interrupted")
    stage: str | None = Field(None, description="the stage running now")
    stages: list[str] = []
    done_stages: list[str] = []
    progress: dict[str, Any] = Field({}, description="done, total, note, percent")
    outcome: dict[str, Any] = Field({}, description="per completed stage: the load's counts and first rejected rows, "
                                                    "tagging, detection and credit summaries")
    error: str | None = None
    failed_stage: str | None = Field(None, description="where a failed job stopped; the stages before it are complete")


class JobsPublic(BaseModel):
    data: list[JobPublic]
    count: int


class IngestReportPublic(Open):
    load_id: str | None = None
    rows: int = 0
    loaded: int = 0
    rejected: int = 0
    exit_code: int = 0
    per_file: dict[str, Any] = {}
    files: list[str] = []
    errors: list[dict[str, Any]] = Field([], description="the first rows of the error report")


class AuditEventPublic(Open):
    at: str | None = None
    user_id: str | None = None
    role: str | None = None
    action: str | None = None
    target: str | None = None
    detail: str | None = None


class AuditPublic(BaseModel):
    data: list[AuditEventPublic]
    count: int


class UserIn(BaseModel):
    # unit_hr needs its unit, and only managers and inspectors take a province: said in the schema too,
    # so that clients (and schemathesis) know it.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [
        {"if": {"properties": {"role": {"const": "unit_hr"}}, "required": ["role"]},
         "then": {"required": ["unit_id"], "properties": {"unit_id": {"type": "string"}}}},
        {"if": {"properties": {"role": {"enum": ["unit_hr", "admin"]}}, "required": ["role"]},
         "then": {"properties": {"province": {"type": "null"}}}},
    ]})
    role: RoleName
    unit_id: ShortStr | None = None
    name: NameStr | None = None
    province: ProvinceName | None = Field(None, description="scopes a manager or inspector to one province")
    days: Annotated[int, Field(ge=1, le=3650, description="how long the token holds"), BeforeValidator(json_integer)] = 90

    @model_validator(mode="after")
    def _unit_for_hr(self) -> UserIn:
        if self.role == "unit_hr" and not self.unit_id:
            raise ValueError("role unit_hr needs unit_id")
        if self.province is not None and self.role not in ("manager", "inspector"):
            raise ValueError(f"province scopes managers and inspectors only (not {self.role})")
        return self


class UserPublic(Open):
    user_id: str
    role: str
    unit_id: str | None = None
    name: str | None = None
    province: str | None = None
    expires_at: str | None = None
    disabled: bool = False


class UserCreatedPublic(UserPublic):
    token: str = Field(description="shown once; only its SHA-256 is stored")


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int
