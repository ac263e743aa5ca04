"""The hand-written Terraform states (format version 4, as `terraform state pull` writes them) of the tests.

network: root, module.app with for_each instances, count, a data source, a database password, a sensitive tag,
a secret lambda variable; shared: declares network's VPC again (a conflict) and a bucket; empty: no
resources; legacy: a version 3 state.
"""

from pathlib import Path

STATES = Path(__file__).with_name("terraform_states")
CANARY = "CANARY-7f3a9c1e"  # every secret in the states carries it
