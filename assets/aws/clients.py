"""boto3 sessions per AWS account, and the client configuration every inventory call shares.

An account is reached by ``sts.assume_role`` into its read role (credentials refreshed before they expire,
so a long sync never runs on stale keys), or with the default credential chain when it names no role.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache

import boto3
import botocore.loaders
import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError

from cloudforge.settings import AwsAccount, AwsSettings

ROLE_SESSION_NAME = "cloudforge-inventory"


def client_config(aws: AwsSettings) -> Config:
    """Adaptive retries (client-side rate limiting once throttled), bounded timeouts, a socket per worker."""
    return Config(
        retries={"mode": "adaptive", "total_max_attempts": aws.max_attempts},  # attempts, the first included
        connect_timeout=aws.timeout_seconds,
        read_timeout=aws.timeout_seconds,
        max_pool_connections=aws.max_workers,
        user_agent_extra="cloudforge-inventory",
        # An explicit endpoint (moto, LocalStack, a proxy) has no per-bucket DNS names.
        s3={"addressing_style": "path"} if aws.endpoint_url else None,
    )


@dataclass
class AccountSession:
    """One account's boto3 session. Clients are cached per (service, region): building one is slow and,
    unlike using one, not thread-safe, so it happens under a lock."""

    account_id: str
    session: boto3.Session
    endpoint_url: str | None
    config: Config
    _clients: dict[tuple[str, str], BaseClient] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def client(self, service: str, region: str) -> BaseClient:
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self.session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=self.config
                )
            return self._clients[key]

    def arn(self, service: str, region: str, resource: str, *, account: bool = True) -> str:
        """An ARN in this account; ``account=False`` for the few types whose ARN omits it (EBS snapshots)."""
        partition = self.session.get_partition_for_region(region)
        return f"arn:{partition}:{service}:{region}:{self.account_id if account else ''}:{resource}"

    def secrets(self) -> list[str]:
        """The credential strings in use, so error messages can be scrubbed of them."""
        credentials = self.session.get_credentials()
        try:
            frozen = credentials.get_frozen_credentials()
        except (AttributeError, BotoCoreError, ClientError):  # none at all, or a refresh failing right now
            return []  # the credential patterns in errors.redact still apply
        return [value for value in (frozen.access_key, frozen.secret_key, frozen.token) if value]


@cache
def _shared_loader() -> botocore.loaders.Loader:
    """One reader of botocore's service models for all accounts: each session would otherwise parse the
    same large JSON files again (about 0.5 s of CPU per account)."""
    return botocore.loaders.create_loader()


def _botocore_session() -> botocore.session.Session:
    session = botocore.session.get_session()
    session.register_component("data_loader", _shared_loader())
    return session


def open_account(aws: AwsSettings, account: AwsAccount) -> AccountSession:
    """A session inside ``account``; assumes its role now, so a refused role fails here, before any slice."""
    if aws.mode == "demo" and not aws.endpoint_url:
        raise ValueError(
            "aws.mode is 'demo' but aws.endpoint_url is empty: point CLOUDFORGE_AWS__ENDPOINT_URL at the "
            "demo cloud (`cloudforge run` does) or set aws.mode to 'real'"
        )
    config = client_config(aws)
    # The demo cloud takes any key; demo mode never picks up real credentials.
    demo_keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"} if aws.mode == "demo" else {}
    base = boto3.Session(botocore_session=_botocore_session(), **demo_keys)
    if account.role_arn is None:
        return AccountSession(account.id, base, aws.endpoint_url, config)

    sts = base.client("sts", region_name=aws.regions[0], endpoint_url=aws.endpoint_url, config=config)
    params = {"RoleArn": account.role_arn, "RoleSessionName": ROLE_SESSION_NAME}
    if account.external_id is not None:
        params["ExternalId"] = account.external_id.get_secret_value()

    def assume() -> dict[str, str]:
        credentials = sts.assume_role(**params)["Credentials"]
        return {
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"],
            "expiry_time": credentials["Expiration"].isoformat(),
        }

    assumed = _botocore_session()
    # boto3 has no public setter for refreshable credentials; this is the hook botocore's own providers fill.
    assumed._credentials = RefreshableCredentials.create_from_metadata(assume(), assume, "sts-assume-role")
    return AccountSession(account.id, boto3.Session(botocore_session=assumed), aws.endpoint_url, config)
