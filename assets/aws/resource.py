"""The AWS inventory settings as a Dagster resource, built from the cloudforge settings."""

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
    """Where and how to inventory AWS (the fields of ``AwsSettings``; each accepts an ``EnvVar``). In demo mode
    pipelines/definitions.py gives the demo cloud's endpoint."""

    mode: str = "demo"
    regions: list[str]
    accounts: list[AwsAccountConfig]
    endpoint_url: str | None = None
    max_workers: int = 8
    max_attempts: int = 8
    timeout_seconds: float = 30.0
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
        return cls(**fields, accounts=accounts, pinned_date=pinned.isoformat() if pinned else None)

    def clock(self) -> Clock:
        """The settings' clock: what the sync stamps its slices with."""
        return Clock(today=self.pinned_date)

    def aws_settings(self) -> AwsSettings:
        """The validated settings this resource names."""
        return AwsSettings.model_validate(self.model_dump(exclude={"pinned_date"}))
