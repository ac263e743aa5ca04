"""The AWS inventory settings as a Dagster resource, built from the cloudforge settings."""

from pathlib import Path

from dagster import Config, ConfigurableResource

from cloudforge.clock import Clock
from cloudforge.settings import AwsSettings, Settings


class AwsAccountConfig(Config):
    """One account; give ``external_id`` as ``EnvVar`` so it stays out of run config and the UI."""

    id: str
    name: str = ""
    role_arn: str | None = None
    external_id: str | None = None


class AwsInventoryResource(ConfigurableResource):
    """Where and how to inventory AWS (the fields of ``AwsSettings``; each accepts an ``EnvVar``).

    In demo mode without an endpoint, the demo cloud running for ``state_dir`` is used, so a ``dagster dev``
    started by hand finds the one `cloudforge demo` (or `run`) left running."""

    mode: str = "demo"
    regions: list[str]
    accounts: list[AwsAccountConfig]
    endpoint_url: str | None = None
    max_workers: int = 8
    max_attempts: int = 8
    timeout_seconds: float = 30.0
    state_dir: str | None = None
    pinned_date: str | None = None  # the settings' clock.today, if pinned (ISO date)

    @classmethod
    def from_settings(cls, settings: Settings) -> "AwsInventoryResource":
        aws = settings.aws
        accounts = [
            AwsAccountConfig(
                id=account.id,
                name=account.name,
                role_arn=account.role_arn,
                external_id=account.external_id.get_secret_value() if account.external_id else None,
            )
            for account in aws.accounts
        ]
        fields = aws.model_dump(exclude={"accounts"})
        pinned = settings.clock.pinned_date
        return cls(**fields, accounts=accounts, state_dir=str(settings.state_dir),
                   pinned_date=pinned.isoformat() if pinned else None)

    def clock(self) -> Clock:
        """The settings' clock: what the sync stamps its slices with."""
        return Clock(today=self.pinned_date)

    def aws_settings(self) -> AwsSettings:
        """The validated settings this resource names."""
        aws = AwsSettings.model_validate(self.model_dump(exclude={"state_dir", "pinned_date"}))
        if aws.mode == "demo" and not aws.endpoint_url and self.state_dir:
            from cloudforge.local.cloud import find_embedded_cloud

            if cloud := find_embedded_cloud(Path(self.state_dir)):
                aws = aws.model_copy(update={"endpoint_url": cloud.endpoint_url})
        return aws
