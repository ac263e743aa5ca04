"""Engines create and delete one node at a time; the walk over the graph (``provisioners.apply``) is theirs in
common. ``aws``: boto3 calls (the default); ``terraform``: the rendered graph as Terraform JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from provisioners.graph import Node


@dataclass(frozen=True)
class Created:
    """What a node became: its physical id and the attributes other nodes may refer to."""

    physical_id: str
    attributes: dict[str, Any]
    api_request_id: str | None = None
    adopted: bool = field(default=False)  # found in the cloud (by its tags or name), not created now


class Engine(Protocol):
    def find(self, node: Node, properties: dict[str, Any]) -> Created | None:
        """The node's resource if the cloud already has it (tagged with its request and node, or by the
        unique name the plan gave it)."""

    def create(self, node: Node, properties: dict[str, Any], token: str) -> Created:
        """Create it (``token``: an idempotency token where the API takes one)."""

    def configure(self, node: Node, properties: dict[str, Any], created: Created) -> None:
        """The idempotent calls after create (rules, bucket settings), repeated safely on a found one."""

    def delete(self, node: Node, created: Created) -> str | None:
        """Delete it; the API request id. Deleting what is already gone is not an error."""

    def retryable(self, error: Exception) -> bool:
        """Whether ``error`` is worth another attempt (throttling, a lost connection)."""
