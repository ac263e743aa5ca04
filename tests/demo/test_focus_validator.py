"""The demo's billing files pass the FinOps Foundation's FOCUS validator (PyPI focus-validator 2.2.1) for 1.2.

The validator needs Python >= 3.12 and numpy >= 2, so it lives in its own venv, ``.focus-validator`` (``make
focus-validator``, which ``make test-e2e`` runs: making it takes a minute, so the test is in the slow tier); without
it this test is skipped. One billing period of each
provider is validated, as published: the AWS Data Export's Parquet from S3, the Azure CSV (ungzipped: the
validator reads no gzip) and the GCP Parquet.
"""

from __future__ import annotations

import gzip
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from demo.billing_exports import EXPORT_BUCKET, publish_demo_billing
from demo.seeding import DUMMY_CREDENTIALS
from demo.estate import generate_estate
from tests.demo.test_billing import DAYS, SEED, START, fake_ids

# The demo's published files read by the FinOps Foundation's tool in its own environment: the slow tier, beside the
# demo's end-to-end runs (tests/README.md).
pytestmark = pytest.mark.e2e

VALIDATOR = Path(__file__).resolve().parents[2] / ".focus-validator"
VERSION = "1.2.0.1"
PERIOD = "2024-02"  # a whole billing period inside the demo window
# Validator 2.2.1 checks InvoiceId's two nullability rules without their conditions ("when the charge is (not)
# associated with an invoice"): a column that has values breaks InvoiceId-C-004-C ("MUST be NULL"), one that
# is null breaks C-005-C. The demo pre-generates invoices, so InvoiceId is never null and C-004-C is reported.
VALIDATOR_DEFECTS = frozenset({"InvoiceId-C-004-C"})


@pytest.fixture(scope="module")
def package_directory() -> Path:
    """Where the validator's package is installed: it reads its rule files relative to the working directory."""
    python = VALIDATOR / "bin" / "python"
    if not python.exists():
        pytest.skip(
            f"the FOCUS validator venv {VALIDATOR} is absent: run `make focus-validator` (Python >= 3.12)"
        )
    found = subprocess.run(
        [python, "-c", "import focus_validator, pathlib; print(pathlib.Path(focus_validator.__file__).parents[1])"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(found.stdout.strip())


@pytest.fixture(scope="module")
def delivered(package_directory, moto_endpoint, tmp_path_factory) -> dict[str, Path]:
    """One period of each provider's published billing, as files the validator reads (once it is there)."""
    estate = generate_estate(SEED, 300)
    state_dir = tmp_path_factory.mktemp("billing-state")
    publish_demo_billing(estate, fake_ids(estate), moto_endpoint, state_dir, START + timedelta(days=DAYS))
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", **DUMMY_CREDENTIALS)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=EXPORT_BUCKET)["Contents"]]
    (aws_key,) = [k for k in keys if f"BILLING_PERIOD={PERIOD}/" in k and k.endswith(".parquet")]
    aws = state_dir / "aws.parquet"
    aws.write_bytes(s3.get_object(Bucket=EXPORT_BUCKET, Key=aws_key)["Body"].read())
    azure = state_dir / "azure.csv"
    azure.write_bytes(
        gzip.decompress((state_dir / "billing" / "azure" / f"focus-azure-{PERIOD}.csv.gz").read_bytes())
    )
    return {"aws": aws, "azure": azure, "gcp": state_dir / "billing" / "gcp" / f"focus-gcp-{PERIOD}.parquet"}


@pytest.mark.parametrize("provider", ["aws", "azure", "gcp"])
def test_the_demo_billing_passes_the_focus_validator(package_directory, delivered, provider):
    run = subprocess.run(
        [VALIDATOR / "bin" / "focus-validator", "--data-file", delivered[provider], "--validate-version", VERSION,
         "--block-download"],
        check=False, cwd=package_directory, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    totals = re.search(r"^Total: (\d+) \| Pass: (\d+) \| Fail: (\d+)", run.stdout, re.MULTILINE)
    assert run.returncode == 0 and totals, run.stdout[-3000:] + run.stderr[-3000:]
    failed = set(re.findall(r"^❌ (\S+): FAIL", run.stdout, re.MULTILINE))
    assert failed == VALIDATOR_DEFECTS, run.stdout[-6000:]
    assert int(totals[3]) == len(VALIDATOR_DEFECTS) and int(totals[2]) > 100  # the rules ran and passed
