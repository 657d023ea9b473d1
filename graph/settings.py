"""All settings of plantalent in one place (environment variables, optional `.env`).

Create one `Settings()` at the edge (CLI entry, app factory, test fixture) and pass it in;
nothing reads the environment anywhere else.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import InvalidInput

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


class DetectionSettings(BaseModel):
    """Thresholds of the detection rules (DESIGN.md defaults)."""

    cl1_min_months: int = 3
    cl2_min_overlap_days: int = 31
    cl5_min_shared_months: int = 2
    tr1_min_moves: int = 3
    tr1_window_days: int = 730
    tr2_start_before_days: int = 90
    tr2_end_after_days: int = 180
    tr3_min_persons: int = 5
    tr3_window_days: int = 60
    tr3_reorg_days: int = 180
    tr4_max_stay_days: int = 365
    lk3_min_units: int = 3
    # LK3 links units sharing a phone/e-mail; also units sharing the legal representative's name
    lk3_link_legal_rep: bool = True
    lk3_min_persons: int = 3
    qa1_grade_a_staff: int = 40
    qa1_grade_a_registered: int = 10
    qa1_grade_b_staff: int = 20
    qa1_grade_b_registered: int = 4
    # Rule queries run at once in a full run: Neo4j Community runs each query on one core.
    workers: int = 2


class ExpertSettings(BaseModel):
    """Expert recommendation: conflict-of-interest windows and ranking weights."""

    avoid_years: int = 3
    violation_years: int = 3
    max_age: int = 70
    w_tag: float = 0.35
    w_fulltext: float = 0.2
    w_embedding: float = 0.2
    w_experience: float = 0.15
    w_credit: float = 0.1
    # talent package: same-province bonus, vector hits kept by search, sizes of the candidate lists.
    w_province: float = 0.05
    search_min_cosine: float = 0.5
    vector_k: int = 200
    fulltext_limit: int = 500
    max_excluded: int = 100


class PanelSettings(BaseModel):
    """Review panels (queries/panels.py, queries/assign.py)."""

    # random mode draws among the first top_factor × k qualified candidates of a panel (DESIGN: 3k)
    top_factor: int = 3
    # CP-SAT work limit in deterministic seconds (same request, same answer even when it is reached)
    solver_limit: float = 60.0
    max_panel_size: int = 50
    max_alternates: int = 10


class Settings(BaseSettings):
    """Process-wide settings; env vars named as in DESIGN.md."""

    # No populate_by_name: field names must not match env vars such as HOME.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neo4j_uri: str = Field("bolt://127.0.0.1:7687", alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    # Unset: the managed server's generated password, kept in PLANTALENT_HOME/neo4j-password (made at its
    # first start, see graph.server); an external server needs it set. Never empty (that turns auth off).
    neo4j_password: str | None = Field(None, alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE")
    home: Path = Field(Path(".plantalent"), alias="PLANTALENT_HOME")
    cache_dir: Path = Field(Path.home() / ".cache" / "plantalent", alias="PLANTALENT_CACHE")
    embed_model: str = Field("BAAI/bge-small-zh-v1.5", alias="PLANTALENT_EMBED_MODEL")
    # Dimension of the embedding model's vectors; None = known table or ask the model.
    embed_dim: int | None = Field(None, alias="PLANTALENT_EMBED_DIM")
    # torch CPU threads for the embedder (None = torch default); 1 is far faster on a busy machine.
    embed_threads: int | None = Field(None, alias="PLANTALENT_EMBED_THREADS")
    # "auto": manage a local server when NEO4J_URI is a loopback bolt:// address.
    manage_neo4j: str = Field("auto", alias="PLANTALENT_MANAGE_NEO4J")
    neo4j_heap: str = Field("2g", alias="PLANTALENT_NEO4J_HEAP")
    # The national sample's store is ~2.1 GB: a smaller cache evicts during ingest and detection.
    # Neo4j grabs page-cache memory as pages are touched, so a small graph does not pay for this.
    neo4j_pagecache_mb: int = Field(4096, alias="PLANTALENT_NEO4J_PAGECACHE_MB")
    neo4j_start_timeout_s: float = Field(180.0, alias="PLANTALENT_NEO4J_START_TIMEOUT")
    batch_size: int = Field(5000, alias="PLANTALENT_BATCH_SIZE")
    # Concurrent ingest write transactions for the batches of a file that goes into the graph by plain
    # CREATE (no entity of the file in the graph yet, no new external org in the batch); any other batch
    # waits for every earlier one and later ones wait for it. 1 = strictly one batch after another.
    ingest_writers: int = Field(2, alias="PLANTALENT_INGEST_WRITERS")
    # A load of at least this many rows (estimated) into a graph without any ingest node drops the
    # range/full-text indexes of the ingest labels and builds them once at the end (bulk population
    # is far cheaper than per-row maintenance); uniqueness constraints stay. -1 never defers.
    ingest_defer_index_rows: int = Field(100_000, alias="PLANTALENT_INGEST_DEFER_INDEX_ROWS")
    # `plantalent ingest` without --bulk/--no-bulk: a load of at least this many rows (estimated) into an empty
    # managed store goes through Neo4j's bulk importer (the server restarts); -1 never (ingest/bulk.py).
    ingest_bulk_rows: int = Field(1_000_000, alias="PLANTALENT_INGEST_BULK_ROWS")
    # Processes that read and check the input files of a bulk load side by side (ingest/bulk_read.py);
    # 0 = one per CPU core, 1 = every file in the loading process itself.
    ingest_read_workers: int = Field(0, ge=0, alias="PLANTALENT_INGEST_READ_WORKERS")
    # Threads of Neo4j's bulk importer (its --threads); 0 = twice the CPU cores: on 2 cores, 4 threads
    # import the national sample in ~20% less time and with less CPU than 2 (measured, docs/ingest.md).
    ingest_import_threads: int = Field(0, ge=0, alias="PLANTALENT_INGEST_IMPORT_THREADS")
    # A snapshot load (`ingest --snapshot`) that would retire more than this share of the records of a
    # kind stops before writing anything, unless --allow-mass-retire is given.
    snapshot_max_retire_share: float = Field(0.2, ge=0.0, le=1.0, alias="PLANTALENT_SNAPSHOT_MAX_RETIRE_SHARE")
    # Loads, jobs and the writer slot renew a heartbeat this often; a holder on another host whose
    # heartbeat is older than stale_after_s is taken for gone (on this host its pid tells at once).
    # A refresh after loads that changed at most this many persons detects for those persons only.
    refresh_max_persons: int = Field(500, ge=0, alias="PLANTALENT_REFRESH_MAX_PERSONS")
    heartbeat_s: float = Field(5.0, gt=0, alias="PLANTALENT_HEARTBEAT_S")
    stale_after_s: float = Field(60.0, gt=0, alias="PLANTALENT_STALE_AFTER_S")
    as_of: date | None = Field(None, alias="PLANTALENT_AS_OF")
    credit_weights_file: Path | None = Field(None, alias="PLANTALENT_CREDIT_WEIGHTS")
    # api: the key of person pseudonyms is kept in the graph (graph.keys); this only seeds it when the
    # graph has none yet. A token lookup is kept per graph version, at most this long.
    api_secret: str | None = Field(None, alias="PLANTALENT_API_SECRET")
    api_token_cache_s: float = Field(30.0, alias="PLANTALENT_API_TOKEN_CACHE_S")
    # Failed sign-ins (a wrong, expired or disabled token) a client may make, in the `limits` notation.
    api_signin_limit: str = Field("20/minute", alias="PLANTALENT_API_SIGNIN_LIMIT")
    # Request bodies over these sizes are refused (413) before they are read: JSON requests; uploads.
    api_max_body_kb: int = Field(1024, ge=1, alias="PLANTALENT_API_MAX_BODY_KB")
    api_max_upload_mb: int = Field(512, ge=1, alias="PLANTALENT_API_MAX_UPLOAD_MB")
    # Rendered responses of read routes kept per graph version, per worker (0 turns the cache off); how
    # old the version a worker knows may get before it reads it again: another process's change (a
    # load, an alert decision in another worker) shows within that time, a worker's own at once.
    api_cache_mb: int = Field(64, ge=0, alias="PLANTALENT_API_CACHE_MB")
    api_cache_recheck_ms: int = Field(100, ge=0, alias="PLANTALENT_API_CACHE_RECHECK_MS")
    # Review panels: the largest batch one request may assign; how much an expert's mean rating after
    # earlier reviews (1-5) weighs in a panel's ranking (0 = not at all; w: score + w × (mean − 3) / 2).
    panels_max_batch: int = Field(500, ge=1, alias="PLANTALENT_PANELS_MAX_BATCH")
    panels_rating_weight: float = Field(0.0, ge=0.0, le=1.0, alias="PLANTALENT_PANELS_RATING_WEIGHT")
    detection: DetectionSettings = Field(default_factory=DetectionSettings)
    experts: ExpertSettings = Field(default_factory=ExpertSettings)
    panels: PanelSettings = Field(default_factory=PanelSettings)

    @property
    def password_file(self) -> Path:
        """Where the managed server's generated password is kept (mode 0600)."""
        return Path(self.home) / "neo4j-password"

    @model_validator(mode="after")
    def _stored_password(self) -> Settings:
        # Every command after the managed server's first start reads its generated password.
        if self.neo4j_password is None and self.password_file.is_file():
            self.neo4j_password = self.password_file.read_text(encoding="utf-8").strip() or None
        return self

    def auth(self) -> tuple[str, str]:
        """(user, password) for the driver; InvalidInput for an empty password or none at all."""
        if self.neo4j_password == "":
            raise InvalidInput("NEO4J_PASSWORD is empty: an empty password would turn Neo4j's authentication off; "
                               "unset it (the managed server then gets a generated one) or set a real one")
        if self.neo4j_password is None:
            where = ("start the managed server first (plantalent neo4j start) or set NEO4J_PASSWORD" if self.managed
                     else "set NEO4J_PASSWORD for the server at NEO4J_URI")
            raise InvalidInput(f"no Neo4j password: {where}")
        return self.neo4j_user, self.neo4j_password

    @property
    def _uri_parts(self) -> tuple[str, str, int]:
        parts = urlsplit(self.neo4j_uri)
        return parts.scheme, parts.hostname or "", parts.port or 7687

    @property
    def bolt_host(self) -> str:
        return self._uri_parts[1] or "127.0.0.1"

    @property
    def bolt_port(self) -> int:
        return self._uri_parts[2]

    @property
    def managed(self) -> bool:
        """True when this project runs the Neo4j server itself."""
        if self.manage_neo4j.lower() in {"1", "true", "yes"}:
            return True
        if self.manage_neo4j.lower() in {"0", "false", "no"}:
            return False
        scheme, host, _ = self._uri_parts
        return scheme in {"bolt", ""} and host in LOOPBACK_HOSTS

    def today(self) -> date:
        """The as-of date used when a command is given none."""
        return self.as_of or date.today()
