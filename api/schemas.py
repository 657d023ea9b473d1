"""Request and response models of the web API (pydantic at the edge).

Response models name the fields every client may rely on and allow more (``extra="allow"``):
the query layer may add fields (tags, reasons, evidence) without breaking the contract.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ShortStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Severity = Literal["high", "medium", "low"]
AlertStatus = Literal["open", "assigned", "confirmed", "dismissed", "rectification", "rectified", "penalized", "closed"]
Grade = Literal["A", "B", "C", "D"]
RoleName = Literal["manager", "inspector", "unit_hr", "admin"]


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
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    plan_type: Annotated[str, StringConstraints(max_length=50)] | None = None
    level: Annotated[str, StringConstraints(max_length=20)] | None = Field(None, description="省级/市级/县级/乡镇级")
    province: Annotated[str, StringConstraints(max_length=30)] | None = None
    exclude_unit_ids: Annotated[list[ShortStr], Field(max_length=200)] = []
    k: Annotated[int, Field(ge=1, le=100)] = 10
    as_of: date | None = None
    spread_provinces: bool = Field(False, description="at most ceil(k/3) experts per province")


class ExpertStatusIn(BaseModel):
    """A decision on an expert's pool status; the reason is kept in the status history and the audit log."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["在库", "暂停", "出库"]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ExcludedPublic(Open):
    expert_id: str | None = None
    reason: Any = None


class RecommendationPublic(BaseModel):
    experts: list[ExpertPublic]
    excluded: list[ExcludedPublic]


class PortraitPublic(Open):
    person_id: str | None = None
    person_ref: str | None = None
    name: str | None = None


class UnitPublic(Open):
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
    open_alerts: list[dict[str, Any]] | None = Field(None, description="inspector/admin only")


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


Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


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
    penalty: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = Field(
        None, description="the measure (警告、通报批评、信用扣分…); default 信用扣分")
    subject_ids: Annotated[list[ShortStr], Field(max_length=50)] = Field(
        [], description="persons/units it is against (default: all the alert concerns)")


class AlertStatusIn(BaseModel):
    """An inspector's decision on an alert (DESIGN.md Casework, alert lifecycle); kept in the alert's
    history and the audit log."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["open", "assigned", "confirmed", "dismissed", "rectified"] = Field(
        description="assigned 分派 / confirmed 确认属实 (with outcome: 整改 or 处罚) / dismissed 排除 / "
                    "open 重新打开 a dismissed one / rectified 整改完成 (closed is set by detection only)")
    comment: Comment = Field("", description="the reason; required to dismiss or reopen")
    assignee: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = Field(
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
    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] = Field(
        description="the record's record_key from the portrait")


class DisputeIn(BaseModel):
    """Unit HR's dispute (异议) on a record of one of its staff."""

    model_config = ConfigDict(extra="forbid")
    person_id: ShortStr = Field(description="ID number or the person_ref (p_...) of the portrait")
    record: RecordRefIn
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class DisputeResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
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
    model_config = ConfigDict(extra="forbid")
    role: RoleName
    unit_id: ShortStr | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None

    @model_validator(mode="after")
    def _unit_for_hr(self) -> UserIn:
        if self.role == "unit_hr" and not self.unit_id:
            raise ValueError("role unit_hr needs unit_id")
        return self


class UserPublic(Open):
    user_id: str
    role: str
    unit_id: str | None = None
    name: str | None = None


class UserCreatedPublic(UserPublic):
    token: str = Field(description="shown once; only its SHA-256 is stored")


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int
