"""Settings from environment variables (prefix ``CLOUDFORGE_``) and an optional YAML file.

Precedence, highest first: environment, the YAML file named by ``CLOUDFORGE_CONFIG`` (default
``cloudforge.yaml`` in the working directory, if present), then the embedded defaults below, which run
the whole platform on one machine with no account or server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLOUDFORGE_", env_nested_delimiter="__", extra="ignore")

    state_dir: Path = Path(".cloudforge")
    database_url: SecretStr | None = None
    aws: AwsSettings = Field(default_factory=AwsSettings)
    tags: TagSettings = Field(default_factory=TagSettings)
    demo: DemoSettings = Field(default_factory=DemoSettings)
    dashboard_url: str = "http://localhost:8501"

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
