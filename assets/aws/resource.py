"""The AWS inventory settings as a Dagster resource: cloudforge settings, with the resource's overrides."""

from dagster import Config, ConfigurableResource

from cloudforge.settings import AwsSettings, Settings, load_settings


class AwsAccountConfig(Config):
    """One account; give ``external_id`` as ``EnvVar`` so it stays out of run config and the UI."""

    id: str
    name: str = ""
    role_arn: str | None = None
    external_id: str | None = None


class AwsInventoryResource(ConfigurableResource):
    """Where and how to inventory AWS. Unset fields keep the cloudforge settings (``CLOUDFORGE_AWS__*``
    environment variables, ``cloudforge.yaml``, the demo defaults); each field accepts an ``EnvVar``. In demo
    mode pipelines/definitions.py sets ``endpoint_url`` to the demo cloud's."""

    mode: str | None = None
    regions: list[str] | None = None
    accounts: list[AwsAccountConfig] | None = None
    endpoint_url: str | None = None
    max_workers: int | None = None
    max_attempts: int | None = None
    timeout_seconds: float | None = None

    def settings(self) -> Settings:
        """The cloudforge settings with this resource's fields applied and validated."""
        base = load_settings()
        overrides = {
            name: value
            for name in ("mode", "regions", "endpoint_url", "max_workers", "max_attempts", "timeout_seconds")
            if (value := getattr(self, name)) is not None
        }
        if self.accounts is not None:
            overrides["accounts"] = [account.model_dump() for account in self.accounts]
        aws = AwsSettings.model_validate({**base.aws.model_dump(), **overrides})
        return base.model_copy(update={"aws": aws})
