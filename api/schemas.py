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
AlertStatus = Literal["open", "confirmed", "dismissed", "closed"]
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


class AlertStatusIn(BaseModel):
    """An inspector's decision on an alert; the reason is kept in the alert's history."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["confirmed", "dismissed", "open"] = Field(
        description="confirmed 确认属实 / dismissed 排除 / open 重新打开 (closed is set by detection only)")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class CreditsPublic(BaseModel):
    data: list[dict[str, Any]]
    count: int


class StatsPublic(Open):
    scope: Literal["all", "unit"]


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
