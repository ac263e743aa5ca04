"""Credential exchanges the real credential chains make, for a replay server to answer, and the environment
that points the chains at it: azure-identity's DefaultAzureCredential finds an App Service managed identity
endpoint, Google's application default credentials a service account key whose token endpoint is the server.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from support.replay.server import Exchange, scenario_exchanges

AZURE_TOKEN = "managed-identity-token-5c1e"
GOOGLE_TOKEN = "refreshed-google-token-9a4f"
# Variables that would make the chains pick another credential than the one the server answers for.
OTHER_CREDENTIALS = ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "IMDS_ENDPOINT",
                     "MSI_ENDPOINT")  # fmt: skip


def token_exchanges() -> list[Exchange]:
    """The managed identity token (App Service, api-version 2019-08-01: it expires at ``expires_on``, an hour
    from now) and Google's OAuth token for a service account's signed assertion."""
    azure = Exchange(
        method="GET", path="/msi/token", status=200,
        query={"api-version": "2019-08-01", "resource": "https://management.azure.com"},
        response=json.dumps({"access_token": AZURE_TOKEN, "expires_on": str(int(time.time()) + 3600),
                             "token_type": "Bearer", "resource": "https://management.azure.com"}),
    )  # fmt: skip
    google = Exchange(
        method="POST", path="/token", status=200,
        body={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"},
        response=json.dumps({"access_token": GOOGLE_TOKEN, "expires_in": 3600, "token_type": "Bearer"}),
    )  # fmt: skip
    return [azure, google]


def with_tokens(*scenarios: Path) -> list[Exchange]:
    """The token exchanges, then those of each scenario file, for one server to replay."""
    return token_exchanges() + [exchange for path in scenarios for exchange in scenario_exchanges(path)]


def point_credentials_at(env: pytest.MonkeyPatch, server_url: str, folder: Path) -> None:
    """Set the variables App Service and a Google key file would give, naming ``server_url``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file = folder / "google-credentials.json"
    key_file.write_text(json.dumps({
        "type": "service_account", "project_id": "cloudforge-billing", "private_key_id": "test-key-1",
        "private_key": key.decode(), "client_email": "cloudforge@cloudforge-billing.iam.gserviceaccount.com",
        "client_id": "100000000000000000001", "token_uri": f"{server_url}/token",
    }))  # fmt: skip
    env.setenv("IDENTITY_ENDPOINT", f"{server_url}/msi/token")
    env.setenv("IDENTITY_HEADER", "identity-header-secret")
    env.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    for name in OTHER_CREDENTIALS:
        env.delenv(name, raising=False)
