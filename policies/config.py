"""What the policies are told about this organisation: extra policy folders and the data document."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from cloudforge.settings import Settings


class PolicyConfig(BaseModel):
    """Policy settings; ``data()`` is the ``data.cloudforge`` document the Rego policies read."""

    extra_dirs: list[Path] = Field(default_factory=list)
    required_tags: list[str] = Field(default_factory=lambda: ["team", "project", "env", "owner"])
    allowed_tag_values: dict[str, list[str]] = Field(default_factory=dict)
    # env tag value -> instance families allowed there ("t3", "m6i"); an env not listed allows any family
    instance_families: dict[str, list[str]] = Field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        return {
            "cloudforge": {
                "tagging": {"required": self.required_tags, "allowed_values": self.allowed_tag_values},
                "cost": {"instance_families": self.instance_families},
            }
        }


def policy_config(settings: Settings, extra_dirs: Sequence[Path] = ()) -> PolicyConfig:
    """The one policy configuration CI checks and the runtime share: settings ``tags`` and ``policies``,
    plus ``extra_dirs`` (``--policy-dir``) after the configured ones."""
    policies = settings.policies
    return PolicyConfig(
        extra_dirs=[*policies.extra_dirs, *extra_dirs],
        required_tags=settings.tags.required,
        allowed_tag_values=policies.allowed_tag_values,
        instance_families=policies.instance_families,
    )
