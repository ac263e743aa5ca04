"""Settings from environment variables (prefix ``CLOUDFORGE_``) and an optional YAML file.

Precedence, highest first: environment, the YAML file named by ``CLOUDFORGE_CONFIG`` (default
``cloudforge.yaml`` in the working directory, if present), then the embedded defaults below, which run
the whole platform on one machine with no account or server.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from cloudforge.clock import Clock
from cloudforge.metrics.catalogue import default_collection, unknown_metrics

DEMO_ACCOUNTS = ("111111111111", "222222222222", "333333333333")
DEMO_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
READ_ROLE_NAME = "CloudForgeReadOnly"


class AwsAccount(BaseModel):
    """One AWS account to inventory, reached by assuming ``role_arn`` (or directly when it is empty)."""

    id: str = Field(pattern=r"^\d{12}$")
    name: str = ""
    role_arn: str | None = None
    external_id: SecretStr | None = None


class AwsSettings(BaseModel):
    mode: Literal["demo", "real"] = "demo"
    regions: list[str] = Field(default_factory=lambda: list(DEMO_REGIONS))
    accounts: list[AwsAccount] = Field(
        default_factory=lambda: [
            AwsAccount(id=a, name=n, role_arn=f"arn:aws:iam::{a}:role/{READ_ROLE_NAME}")
            for a, n in zip(DEMO_ACCOUNTS, ("production", "staging", "shared-services"))
        ]
    )
    # Explicit endpoint (a moto server, LocalStack, a VPC endpoint). Demo mode finds its own.
    endpoint_url: str | None = None
    max_workers: int = Field(default=8, ge=1, le=64)
    max_attempts: int = Field(default=8, ge=1)
    timeout_seconds: float = Field(default=30.0, gt=0)


class TagSettings(BaseModel):
    required: list[str] = Field(default_factory=lambda: ["team", "project", "env", "owner"])


class DemoSettings(BaseModel):
    seed: int = 42
    size: int = Field(default=300, ge=30)


class ListenSettings(BaseModel):
    """Where a server of `cloudforge demo` listens: loopback, since the dashboards, the Dagster UI and the metrics
    exporter have no login yet; ``0.0.0.0`` (or one interface's address) exposes it to the network."""

    address: str = "127.0.0.1"


AlertSeverity = Literal["critical", "high", "medium", "low", "info"]


class AlertSettings(BaseModel):
    """Where alerts go. Log-only unless a Slack webhook or a PagerDuty routing key is given (from the
    environment: they are secrets); ``channels`` narrows or names them explicitly."""

    channels: list[Literal["log", "slack", "pagerduty"]] | None = None
    slack_webhook_url: SecretStr | None = None
    slack_min_severity: AlertSeverity = "info"
    pagerduty_routing_key: SecretStr | None = None
    pagerduty_url: str = "https://events.pagerduty.com/v2/enqueue"
    pagerduty_min_severity: AlertSeverity = "high"  # PagerDuty pages people: high and critical only
    timeout_seconds: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    backoff_seconds: float = Field(default=30.0, gt=0)
    max_backoff_seconds: float = Field(default=3600.0, gt=0)
    max_age_hours: float = Field(default=72.0, gt=0)


class PolicyWaiver(BaseModel):
    """An accepted exception: findings of ``policy_id`` on resources whose key matches ``resource_pattern``
    (a glob on 'aws/<account>/<region>/<type>/<id>') are waived until the end of ``expires_on`` (UTC)."""

    policy_id: str = Field(min_length=1)
    resource_pattern: str = Field(default="*", min_length=1)
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    expires_on: date


class PolicySettings(BaseModel):
    """What the Rego policies are told (see policies/README.md) and the waivers kept in config."""

    extra_dirs: list[Path] = Field(default_factory=list)
    allowed_tag_values: dict[str, list[str]] = Field(default_factory=dict)
    instance_families: dict[str, list[str]] = Field(default_factory=dict)  # env -> allowed families
    waivers: list[PolicyWaiver] = Field(default_factory=list)


# A team, project or env as tags carry it after normalisation (trimmed, lower-cased).
TagValue = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]


class TagRule(BaseModel):
    """Charges whose normalised team/project/env tags equal every entry of ``match`` get this rule's team
    and project where their tags give none (first matching rule wins; tags always win)."""

    match: dict[Literal["team", "project", "env"], TagValue] = Field(min_length=1)
    team: TagValue | None = None
    project: TagValue | None = None

    @model_validator(mode="after")
    def _assigns(self) -> TagRule:
        if self.team is None and self.project is None:
            raise ValueError("a tag rule must set team or project")
        return self


class AccountDefault(BaseModel):
    """Team and project for a sub account's charges that neither tags nor tag rules assign."""

    team: TagValue | None = None
    project: TagValue | None = None


class PoolShare(BaseModel):
    team: TagValue
    project: TagValue = "unallocated"
    percent: Decimal = Field(gt=0, le=100)


class SharedCostPool(BaseModel):
    """Charges matching every criterion given (each a list of accepted values) are shared: split per provider,
    currency and day among teams and projects ``even``ly, ``proportional``ly to their direct effective cost,
    or by ``fixed`` ``shares``. The first matching pool wins."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    service_names: list[str] = Field(default_factory=list)
    service_categories: list[str] = Field(default_factory=list)
    charge_categories: list[str] = Field(default_factory=list)
    sub_account_ids: list[str] = Field(default_factory=list)
    untagged_only: bool = False  # only charges that carry no team tag
    split: Literal["even", "proportional", "fixed"] = "proportional"
    shares: list[PoolShare] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> SharedCostPool:
        if self.name == "direct":
            raise ValueError("'direct' names direct cost; choose another pool name")
        if not (self.service_names or self.service_categories or self.charge_categories or self.sub_account_ids):
            raise ValueError(f"shared pool {self.name!r} matches every charge; give at least one criterion")
        if (self.split == "fixed") != bool(self.shares):
            raise ValueError(f"shared pool {self.name!r}: shares are required with split fixed and only then")
        if self.shares and sum(share.percent for share in self.shares) != 100:
            raise ValueError(f"shared pool {self.name!r}: share percents must add up to 100")
        if len({(share.team, share.project) for share in self.shares}) != len(self.shares):
            raise ValueError(f"shared pool {self.name!r}: a team and project may have one share only")
        return self


class Budget(BaseModel):
    """A monthly budget for a team, a project or a sub account (``name`` is its id), in ``currency``."""

    scope: Literal["team", "project", "account"]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    monthly_amount: Decimal = Field(gt=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    thresholds: list[Annotated[int, Field(gt=0, le=1000)]] = Field(default_factory=lambda: [50, 80, 100])

    @model_validator(mode="after")
    def _normalised(self) -> Budget:
        if self.scope != "account":
            self.name = self.name.lower()  # teams and projects are compared as normalised tags
        self.thresholds = sorted(set(self.thresholds))
        return self


class AnomalySettings(BaseModel):
    """A day's usage cost per team and service is an anomaly when it exceeds the median of the same weekday
    over the trailing ``window_days`` by ``min_deviation`` robust standard deviations and by ``min_impact``."""

    window_days: int = Field(default=28, ge=14, le=91, multiple_of=7)
    min_deviation: Decimal = Field(default=Decimal("3.5"), gt=0)
    min_impact: Decimal = Field(default=Decimal(50), ge=0)
    alert_days: int = Field(default=14, ge=1)  # anomalies of the last alert_days days of billing data alert


def demo_shared_pools() -> list[SharedCostPool]:
    """The demo billing's shared charges (demo/billing.py), one pool per way of splitting."""
    return [
        SharedCostPool(name="support", service_names=["AWS Support (Business)"], split="even"),
        SharedCostPool(name="tax", charge_categories=["Tax"]),
        SharedCostPool(name="data-transfer", service_names=["AWS Data Transfer"], untagged_only=True, split="fixed",
                       shares=[PoolShare(team="platform", project="shared-network", percent=Decimal(50)),
                               PoolShare(team="payments", project="checkout", percent=Decimal(25)),
                               PoolShare(team="search", project="query-api", percent=Decimal(25))]),
        SharedCostPool(name="commitments", service_names=["Savings Plans for AWS Compute usage"]),
    ]


def demo_budgets() -> list[Budget]:
    """Monthly budgets around the demo estate's run rate: data's is below it, so its forecast crosses 100 %."""
    teams = {"payments": 4500, "search": 2500, "platform": 6000, "data": 3500, "identity": 4000}
    return [
        *(Budget(scope="team", name=team, monthly_amount=Decimal(amount)) for team, amount in teams.items()),
        Budget(scope="project", name="shared-network", monthly_amount=Decimal(4000)),
        Budget(scope="account", name=DEMO_ACCOUNTS[2], monthly_amount=Decimal(3000)),
    ]


class CostSettings(BaseModel):
    """Cost allocation, budgets and anomaly detection, passed to dbt as the var ``costs``. The defaults fit the
    demo estate (dbt/dbt_project.yml repeats them for dbt run by hand; a test holds the two together)."""

    tag_rules: list[TagRule] = Field(
        default_factory=lambda: [TagRule(match={"project": "shared-network"}, team="platform")]
    )
    account_defaults: dict[str, AccountDefault] = Field(  # sub account id -> default
        default_factory=lambda: {DEMO_ACCOUNTS[2]: AccountDefault(team="platform")}
    )
    shared_pools: list[SharedCostPool] = Field(default_factory=demo_shared_pools)
    budgets: list[Budget] = Field(default_factory=demo_budgets)
    forecast_window_days: int = Field(default=28, ge=7, le=91)
    anomalies: AnomalySettings = Field(default_factory=AnomalySettings)

    @model_validator(mode="after")
    def _unique(self) -> CostSettings:
        pools = [pool.name for pool in self.shared_pools]
        if len(set(pools)) != len(pools):
            raise ValueError("shared pool names must be unique")
        budgets = [(budget.scope, budget.name) for budget in self.budgets]
        if len(set(budgets)) != len(budgets):
            raise ValueError("one budget per scope and name")
        return self


BillingMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class BillingMonths(BaseModel):
    """Which billing months a cloud API source reads: ``months`` as 'YYYY-MM' when given, else the last
    ``recent_months`` ending with the current UTC month (providers restate the open month every day)."""

    months: list[BillingMonth] = Field(default_factory=list)
    recent_months: int = Field(default=2, ge=1, le=24)


class AzureCostSource(BillingMonths):
    """A Cost Management scope read through the Query API (ActualCost and AmortizedCost, daily): a
    subscription, billing account, billing profile or management group. Credentials: azure-identity's
    DefaultAzureCredential. ``endpoint_url`` overrides the ARM endpoint (an ARM proxy, a test server)."""

    scope: str = Field(pattern=r"(?i)^/?(subscriptions|providers/microsoft\.(billing|management))/[^\s]+$")
    endpoint_url: str | None = None


class BigQueryExport(BillingMonths):
    """A Cloud Billing detailed usage cost export table, read by invoice month with one query per month that
    runs in ``job_project`` (default: the table's project). Credentials: Google application default
    credentials. ``endpoint_url`` overrides the BigQuery API endpoint (a private endpoint, a test server)."""

    project: str = Field(pattern=r"^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")
    dataset: str = Field(pattern=r"^[A-Za-z0-9_]{1,1024}$")
    table: str = Field(pattern=r"^gcp_billing_export_resource_v1_[A-Za-z0-9_]+$")
    job_project: str | None = Field(default=None, pattern=r"^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")
    endpoint_url: str | None = None

    @property
    def table_id(self) -> str:
        return f"{self.project}.{self.dataset}.{self.table}"


class BillingSettings(BaseModel):
    """Where billing comes from. ``focus``: directories and ``s3://bucket/prefix`` URIs of FOCUS files (AWS
    Data Exports below a prefix are found by their manifests); ``azure``: Cost Management scopes;
    ``bigquery``: GCP billing export tables. With none of them configured and ``aws.mode`` demo, the demo
    billing is read instead.

    How the FOCUS files are read (docs/focus.md): the most bytes one file may expand to (a larger or more
    compressed file is quarantined, rule expanded_size; parsing takes about 2-3 times the expanded size in
    memory), and whether a link in a source directory to a file outside it is followed."""

    focus: list[str] = Field(default_factory=list)
    s3_endpoint_url: str | None = None  # an S3-compatible store or a VPC endpoint; None: AWS S3
    azure: list[AzureCostSource] = Field(default_factory=list)
    bigquery: list[BigQueryExport] = Field(default_factory=list)
    max_expanded_bytes: int = Field(default=2 * 1024**3, gt=0)
    follow_symlinks: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.focus or self.azure or self.bigquery)


class TerraformStateSource(BaseModel):
    """A local directory (or file) or ``s3://bucket/prefix`` of Terraform states. An S3 source is read through
    the read role of the ``aws.accounts`` entry ``account_id`` (the inventory's assume-role session), else with
    the default credential chain. A plain string in the list stands for ``{uri: ...}``."""

    uri: str = Field(min_length=1)
    account_id: str | None = Field(default=None, pattern=r"^\d{12}$")


class TerraformSettings(BaseModel):
    """Declared state: where the Terraform states are (none: the state ingestion is not part of the platform)."""

    state_sources: list[TerraformStateSource] = Field(default_factory=list)
    s3_endpoint_url: str | None = None  # for sources without account_id; those with one use aws.endpoint_url

    @field_validator("state_sources", mode="before")
    @classmethod
    def _plain_uris(cls, value: object) -> object:
        return [{"uri": item} if isinstance(item, str) else item for item in value] if isinstance(value, list) else value


class MetricRuleScope(BaseModel):
    """Which resources a rule watches: those carrying every tag in ``tags`` (keys and values compared without
    case) in one of ``accounts`` (all when empty)."""

    model_config = ConfigDict(extra="forbid")

    tags: dict[str, str] = Field(default_factory=dict)
    accounts: list[Annotated[str, StringConstraints(pattern=r"^\d{12}$")]] = Field(default_factory=list)


class MetricAlertRule(BaseModel):
    """A condition on the hourly rollups of one metric of one resource type: the ``aggregation`` of the hours in
    the last ``window_hours`` is ``comparison`` ``threshold``, at every hour of the last ``for_hours`` (0: at
    the latest hour only). avg weighs each hour by its samples; max, sum and p95 (of the hourly p95s) are taken
    over the hours. A resource for which it holds is an alert of ``severity``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    resource_type: str
    metric: str
    aggregation: Literal["avg", "p95", "max", "sum"] = "avg"
    window_hours: int = Field(default=1, ge=1, le=24 * 14)
    comparison: Literal["above", "below"] = "above"
    threshold: float
    for_hours: int = Field(default=0, ge=0, le=24 * 14)
    severity: AlertSeverity = "medium"
    scope: MetricRuleScope = Field(default_factory=MetricRuleScope)

    @model_validator(mode="after")
    def _known_metric(self) -> MetricAlertRule:
        if problems := unknown_metrics({self.resource_type: [self.metric]}):
            raise ValueError(f"alert rule {self.name!r}: {problems[0]}")
        return self


def demo_alert_rules() -> list[MetricAlertRule]:
    """The demo estate's rule: an instance whose CPU averaged over 90 % for six hours, three hours running
    (the overloaded instance of demo/metrics.py)."""
    return [MetricAlertRule(name="ec2-cpu-overloaded", resource_type="ec2_instance", metric="CPUUtilization",
                            aggregation="avg", window_hours=6, threshold=90, for_hours=3, severity="high")]
class DriftIgnoreRule(BaseModel):
    """One ``drift.ignore`` entry, in the spirit of ``.driftignore``: ``type`` (an inventory or Terraform type) and
    ``id`` are globs (``*``, ``?``); an ``id`` starting with ``!`` un-ignores what an earlier rule ignored. With
    ``attributes`` (globs on attribute paths such as ``instance_type`` or ``tags.backup``) only those differences
    are ignored, else the whole resource. The last matching rule decides. Ignored items are counted, not hidden."""

    type: str = Field(default="*", min_length=1)
    id: str = Field(default="*", min_length=1)
    attributes: list[str] = Field(default_factory=list)
    reason: str = ""

    @model_validator(mode="after")
    def _reason_given(self) -> DriftIgnoreRule:
        if not self.id.startswith("!") and not self.reason.strip():
            raise ValueError(f"drift.ignore rule {self.type}/{self.id} needs a reason")
        return self


class DriftSettings(BaseModel):
    """Drift between the Terraform states and the inventory: what not to report (see DriftIgnoreRule)."""

    ignore: list[DriftIgnoreRule] = Field(default_factory=list)


class MetricsSettings(BaseModel):
    """Where metrics are written and read: ``embedded`` starts VictoriaMetrics in the state directory (or uses
    ``url`` if given), ``influxdb`` is an InfluxDB 2.x/3.x at ``url`` (token from the environment: a secret),
    ``disabled`` keeps none.

    What is collected from CloudWatch: ``collect`` (resource type -> metric names of
    ``cloudforge.metrics.catalogue``; unknown names are refused), one value per ``period_seconds``; the first
    collection of a slice reads ``lookback_days`` back, later ones from the last collected hour less
    ``overlap_hours`` (late points), each from the start of that UTC day so daily rollups are whole."""

    mode: Literal["embedded", "influxdb", "disabled"] = "embedded"
    url: str | None = None
    org: str = ""
    bucket: str = "cloudforge"
    token: SecretStr | None = None
    collect: dict[str, list[str]] = Field(default_factory=lambda: default_collection())
    period_seconds: int = Field(default=3600, ge=60, le=86400)
    lookback_days: int = Field(default=15, ge=1, le=63)
    overlap_hours: int = Field(default=3, ge=0, le=48)
    alert_rules: list[MetricAlertRule] = Field(default_factory=demo_alert_rules)

    @model_validator(mode="after")
    def _influxdb_complete(self) -> MetricsSettings:
        if self.mode == "influxdb" and not (self.url and self.token and self.org):
            raise ValueError("metrics mode influxdb needs url, org and token (CLOUDFORGE_METRICS__TOKEN)")
        return self

    @model_validator(mode="after")
    def _known_metrics(self) -> MetricsSettings:
        if problems := unknown_metrics(self.collect):
            raise ValueError("metrics.collect: " + "; ".join(problems))
        if 86400 % self.period_seconds:
            raise ValueError(f"metrics.period_seconds must divide a day, not {self.period_seconds}")
        names = [rule.name for rule in self.alert_rules]
        if len(set(names)) != len(names):
            raise ValueError("metrics.alert_rules: rule names must be unique")
        return self


class HealthEndpoint(BaseModel):
    """An HTTP endpoint checked every ``interval_seconds``: healthy when it answers ``expected_status`` within
    ``timeout_seconds``."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    url: str = Field(pattern=r"^https?://")
    method: Literal["GET", "HEAD", "POST"] = "GET"
    expected_status: int = Field(default=200, ge=100, le=599)
    timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    interval_seconds: int = Field(default=60, ge=60)


class FreshnessSettings(BaseModel):
    """How old each source's last successful load may be, in hours, before it is stale (an alert)."""

    inventory: float = Field(default=26.0, gt=0)  # the refresh job runs daily at 06:00 UTC, plus slack
    billing: float = Field(default=48.0, gt=0)  # providers deliver billing a day or so late
    metrics: float = Field(default=2.0, gt=0)
    terraform: float = Field(default=26.0, gt=0)


class HealthSettings(BaseModel):
    """Health checks: the HTTP endpoints to check (none by default; the demo checks its own) and the freshness
    SLAs per source."""

    endpoints: list[HealthEndpoint] = Field(default_factory=list)
    freshness: FreshnessSettings = Field(default_factory=FreshnessSettings)

    @model_validator(mode="after")
    def _unique_names(self) -> HealthSettings:
        names = [endpoint.name for endpoint in self.endpoints]
        if len(set(names)) != len(names):
            raise ValueError("health endpoint names must be unique")
        return self


class RecommendationDismissal(BaseModel):
    """A recommendation someone decided against: ``kind`` on the resource ``resource_id`` is dismissed, with a
    reason, until the end of ``expires_on`` (UTC); after that it is open again."""

    kind: str = Field(min_length=1)
    resource_id: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    expires_on: date


class RecommendationSettings(BaseModel):
    """Thresholds of the savings recommendations (marts.recommendations), passed to dbt as the var
    ``recommendations``; dbt/dbt_project.yml repeats the defaults for dbt run by hand."""

    lookback_days: int = Field(default=14, ge=7, le=90)
    idle_cpu_percent: float = Field(default=5.0, gt=0, le=100)
    idle_network_bytes_per_day: float = Field(default=50_000_000.0, ge=0)  # in + out, average per day
    rightsizing_cpu_percent: float = Field(default=20.0, gt=0, le=100)
    snapshot_retention_days: int = Field(default=365, ge=1)
    idle_load_balancer_requests_per_day: float = Field(default=10.0, ge=0)
    dismissals: list[RecommendationDismissal] = Field(default_factory=list)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLOUDFORGE_", env_nested_delimiter="__", extra="ignore")

    state_dir: Path = Path(".cloudforge")
    database_url: SecretStr | None = None
    reader_database_url: SecretStr | None = None  # the read-only role for SQL access and the dashboards
    aws: AwsSettings = Field(default_factory=AwsSettings)
    tags: TagSettings = Field(default_factory=TagSettings)
    demo: DemoSettings = Field(default_factory=DemoSettings)
    dashboards: ListenSettings = Field(default_factory=ListenSettings)
    dagster_ui: ListenSettings = Field(default_factory=ListenSettings)
    exporter: ListenSettings = Field(default_factory=ListenSettings)  # the demo's `/metrics`
    dashboard_url: str = "http://localhost:8501"
    policies: PolicySettings = Field(default_factory=PolicySettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    costs: CostSettings = Field(default_factory=CostSettings)
    billing: BillingSettings = Field(default_factory=BillingSettings)
    terraform: TerraformSettings = Field(default_factory=TerraformSettings)
    drift: DriftSettings = Field(default_factory=DriftSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    recommendations: RecommendationSettings = Field(default_factory=RecommendationSettings)
    clock: Clock = Field(default_factory=Clock)  # clock.today pins the date (see cloudforge/clock.py)

    @model_validator(mode="after")
    def _known_state_accounts(self) -> Settings:
        known = {account.id for account in self.aws.accounts}
        for source in self.terraform.state_sources:
            if source.account_id is not None and source.account_id not in known:
                raise ValueError(f"terraform state source {source.uri} names account {source.account_id}, "
                                 "which is not in aws.accounts")
        return self

    @field_validator("state_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls, yaml_file=config_path()))


def config_path() -> Path | None:
    """The YAML config file: ``CLOUDFORGE_CONFIG`` if set (it must exist), else ./cloudforge.yaml if present."""
    named = os.environ.get("CLOUDFORGE_CONFIG")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"CLOUDFORGE_CONFIG names {path}, which is not a file")
        return path
    default = Path("cloudforge.yaml")
    return default if default.is_file() else None


def load_settings(**overrides: object) -> Settings:
    """Read settings now (never at import), optionally overriding fields for tests and tools."""
    return Settings(**overrides)
