"""The demo AWS estate: a seeded, deterministic description of what three accounts run, as plain data.

``generate_estate(seed, size)`` returns an :class:`Estate` whose ``resources`` are :class:`ResourceSpec`
records. ``demo.cloud`` creates them in a moto server; the ingestion, dbt and policy tests derive
their exact expectations from the same records, so everything the inventory will find is listed here,
including what AWS creates on its own (``managed_by == "aws"``). Same seed and size, same estate.

Accounts and regions are ``cloudforge.settings.DEMO_ACCOUNTS`` and ``DEMO_REGIONS``; IAM lives in region
``"global"``; an S3 bucket's region is its location. ``size`` scales the estate linearly: about ``size``
resources are created by the estate at the default of 300 (networks are per account-region, so the
smallest size, 30, still has about 70), plus what AWS adds.

Names
-----
``ResourceSpec.name`` is unique per (account_id, region, resource_type) and is what AWS shows where AWS has
a name: the security group name, snapshot description, bucket name, DB instance identifier, IAM user and
role name, function name, load balancer name and KMS key description. VPCs, subnets, instances, volumes
and Elastic IPs carry no Name tag, so their names only link specs to each other (``attributes``).
AWS-created resources are named "default" (VPC), "default-<zone>" (subnets), "default (<vpc name>)"
(security groups) and "alias/aws/ebs" (key).

Tags
----
Owners tag with four canonical keys: ``team`` (payments, search, platform, data, identity), ``project``
(two per team, see ``TEAMS``), ``env`` (prod, staging, dev) and ``owner`` (an e-mail address). The estate
also carries the mess real estates have, and ``canonical_tags`` says what a correct normalisation yields:

* about 10 % of resources have no tags at all, about 8 % lack one to three of the keys;
* about 17 % spell one or two keys differently. The raw keys used, canonical key first:

  ============  ================================================================
  ``team``      team, Team, TEAM, tema (misspelt)
  ``project``   project, Project, app, application
  ``env``       env, Env, environment, stage, enviroment (misspelt)
  ``owner``     owner, Owner, owner_email, Owner_Email, contact
  ============  ================================================================

  (``TAG_KEY_VARIANTS`` holds this table; at the default size every variant occurs.)
* about 20 % of ``env`` values are capitalised ("Prod", "Staging", "Dev"): env values normalise to lower
  case. Team, project and owner values are always canonical.

A resource never carries two raw keys for the same canonical key. Root volumes carry their instance's tags
(propagated at launch). AWS-created resources carry none.

Attributes (``ResourceSpec.attributes``) by resource type
---------------------------------------------------------
=================  ==================================================================================
vpc                cidr_block, is_default
subnet             vpc (name), cidr_block, availability_zone, is_default
security_group     vpc (name), ingress: ((port, cidr), ...) for TCP rules from CIDR ranges
ec2_instance       state (running | stopped), instance_type, subnet, security_group, availability_zone
ebs_volume         availability_zone, size_gib, volume_type, encrypted, attached_to (instance name or
                   None), device (ROOT_DEVICE for the root volume an instance launches with)
ebs_snapshot       volume (name), size_gib, encrypted
elastic_ip         associated_with (instance name or None)
s3_bucket          encryption (None | "AES256" | "aws:kms"), versioning, public_access_block (all four
                   blocks on)
rds_instance       engine, instance_class, allocated_storage_gib, publicly_accessible, encrypted,
                   backup_retention_days, multi_az, vpc (the first VPC of its account-region), subnets
                   (names: its DB subnet group), security_group (the VPC's app group)
iam_user           has_mfa, access_key_ages_days: (days, ...) one per access key
iam_role           trusted_principal (a service like "lambda.amazonaws.com" or an account root ARN)
lambda_function    runtime, memory_mb, role (name)
load_balancer      vpc, subnets (names), security_group, scheme (internet-facing | internal), targets
                   (names of the VPC's running instances: one target group routes to them)
kms_key            rotation_enabled, aws_managed
iam_password_policy  one per account (region "global", untagged: the API has no tags), named
                   PASSWORD_POLICY; ``demo.compliance`` decides its settings
cloudwatch_log_group  LOG_GROUPS_PER_ACCOUNT per account, in the region of the account's first KMS key
                   (else the first region), tagged by the platform team; key (that KMS key's name, or
                   None); ``demo.compliance`` decides which use the key and how long they keep events;
                   + one per trail (see cloudtrail_trail)
cloudtrail_trail   one multi-region trail per account that has a bucket, logging, named "<account>-management", in the region
                   of its bucket: the account's first bucket whose access logging is on for the first and
                   third account, off for the second (else its first bucket); key (the account's first
                   KMS key in that region, or None), log_group (a log group made for it, listed just before
                   it: ``trail_log_group``, same region, tags and key); ``demo.compliance`` decides log file
                   validation, whether the key is used and its CloudWatch Logs monitoring
iam_account        one per account (global, untagged), named ACCOUNT: its root user (``demo.compliance``
                   decides root_mfa and root_access_keys)
iam_role           + SUPPORT_ROLE in the first and last account: trusted by its own account, given
                   managed_policies (SUPPORT_POLICY, AWS's AWSSupportAccess); the middle account has none
iam_policy         ADMIN_POLICY (allows "*" on "*") and REPORTS_POLICY (s3:GetObject) in every account,
                   attributes actions, users (names of the account's users it is attached to, directly):
                   the admin one to the account's first user except in the last account, where it is
                   attached to nobody; the reports one to its second user
iam_server_certificate  LEGACY_CERTIFICATE in the first account, attributes valid_days (its validity,
                   counted back from seeding): it expired 30 days before seeding
ebs_encryption_by_default, config_recorder, security_hub, guardduty_detector, access_analyzer
                   one each per account-region (untagged settings, named REGION_SETTINGS[type]);
                   ``demo.compliance`` decides whether each is on
network_acl        vpc (name), ingress (rules, see ``demo.compliance``): one custom ACL per account, in its
                   first VPC of the account's turn of region; AWS adds a default ACL to every VPC
efs_file_system    one per account (first region), tagged like the account's first VPC; ``demo.compliance``
                   decides encrypted
cloudtrail_account  one per account (global, untagged), named TRAIL_ACCOUNT: its multi-region trails, with
                   trail_events (the events of each, as ``demo.compliance`` decides them; () without a trail)
=================  ==================================================================================

``demo.compliance`` adds the security settings (logging, monitoring, TLS, egress...) to these attributes.

``age_days`` is how many days before seeding a resource was created (instances: launched, snapshots:
started); it is set for ec2_instance, ebs_volume, ebs_snapshot, rds_instance and iam_user, the types whose
age matters, and None elsewhere (AWS reports the seeding time). Old snapshots are > 365 days, old access
keys > 90 days, with margins so a later inventory does not see them cross a threshold.

What AWS (and moto, like AWS) creates on its own
------------------------------------------------
* every account-region has a default VPC (172.31.0.0/16) with one default subnet per availability zone
  (``AVAILABILITY_ZONES``), the n-th zone getting the n-th /20;
* every VPC, default or not, has a security group named "default" (no CIDR ingress rules) and a default
  network ACL named "default (<vpc name>)" allowing all traffic (``DEFAULT_ACL_INGRESS``);
* the first encrypted EBS volume created without a KMS key in an account-region creates the AWS-managed
  key ``alias/aws/ebs`` there; AWS rotates such keys, which seeding mirrors by enabling rotation.

``MISCONFIGURATIONS`` names the conditions the estate plants on purpose (predicates on a spec). At any size
from 30 each occurs at least once, and never on every resource of its type when there are two or more.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from cloudforge.settings import DEMO_ACCOUNTS, DEMO_REGIONS, READ_ROLE_NAME
from demo.compliance import with_compliance_settings

RESOURCE_TYPES = (
    "vpc",
    "subnet",
    "security_group",
    "ec2_instance",
    "ebs_volume",
    "ebs_snapshot",
    "elastic_ip",
    "s3_bucket",
    "rds_instance",
    "iam_user",
    "iam_role",
    "lambda_function",
    "load_balancer",
    "kms_key",
    "iam_password_policy",
    "cloudwatch_log_group",
    "cloudtrail_trail",
    "iam_account",
    "iam_policy",
    "iam_server_certificate",
    "network_acl",
    "ebs_encryption_by_default",
    "config_recorder",
    "security_hub",
    "guardduty_detector",
    "efs_file_system",
    "cloudtrail_account",
    "access_analyzer",
)
GLOBAL_REGION = "global"
PASSWORD_POLICY = "account password policy"
LOG_GROUPS_PER_ACCOUNT = 2
ACCOUNT = "root user"
SUPPORT_ROLE = "incident-support"
SUPPORT_POLICY = "arn:aws:iam::aws:policy/AWSSupportAccess"
ADMIN_POLICY = "break-glass-admin"
REPORTS_POLICY = "reports-read"
LEGACY_CERTIFICATE = "legacy-web"
REGION_SETTINGS = {  # one per account-region; the names the inventory gives them
    "ebs_encryption_by_default": "EBS encryption by default",
    "config_recorder": "AWS Config recorder",
    "security_hub": "Security Hub",
    "guardduty_detector": "GuardDuty detector",
    "access_analyzer": "IAM Access Analyzer",
}
TRAIL_ACCOUNT = "CloudTrail multi-region trails"

TAG_KEY_VARIANTS: dict[str, tuple[str, ...]] = {  # canonical key -> the raw keys used for it, itself first
    "team": ("team", "Team", "TEAM", "tema"),
    "project": ("project", "Project", "app", "application"),
    "env": ("env", "Env", "environment", "stage", "enviroment"),
    "owner": ("owner", "Owner", "owner_email", "Owner_Email", "contact"),
}
CANONICAL_TAG_KEYS = tuple(TAG_KEY_VARIANTS)

# The availability zones moto serves for the demo regions (as AWS does); tests check them against the server.
AVAILABILITY_ZONES: dict[str, tuple[str, ...]] = {
    "us-east-1": tuple(f"us-east-1{z}" for z in "abcdef"),
    "us-west-2": tuple(f"us-west-2{z}" for z in "abcd"),
    "eu-west-1": tuple(f"eu-west-1{z}" for z in "abc"),
}

TEAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # team -> (projects, owners)
    "payments": (("checkout", "billing-api"), ("ana.silva@example.com", "li.wei@example.com")),
    "search": (("indexer", "query-api"), ("omar.haddad@example.com", "sofia.rossi@example.com")),
    "platform": (("cloudforge", "shared-network"), ("jonas.berg@example.com", "mei.tanaka@example.com")),
    "data": (("warehouse", "etl"), ("priya.nair@example.com", "lucas.martin@example.com")),
    "identity": (("sso", "user-directory"), ("fatima.zahra@example.com", "noah.keller@example.com")),
}
# Which environments each account hosts (production, staging, shared-services).
ACCOUNT_ENVS: dict[str, tuple[str, ...]] = dict(
    zip(DEMO_ACCOUNTS, (("prod",), ("staging", "dev"), ("prod", "dev")))
)

WORLD = "0.0.0.0/0"
ROOT_DEVICE = "/dev/sda1"
# Ingress of the extra security groups, which take these kinds in turn: the first two always occur.
SECURITY_GROUP_KINDS: dict[str, tuple[tuple[int, str], ...]] = {
    "ssh-open": ((22, WORLD),),
    "rdp-open": ((3389, WORLD),),
    "web": ((80, WORLD), (443, WORLD)),
    "ssh-internal": ((22, "10.0.0.0/8"),),
    "db-internal": ((5432, "10.0.0.0/8"), (3306, "10.0.0.0/8")),
}
APP_SECURITY_GROUP_INGRESS = ((443, WORLD), (8080, "10.0.0.0/8"))
DEFAULT_VPC_CIDR = "172.31.0.0/16"
# Network ACL rules: (number, action, protocol, from port, to port, source); AWS's default ACL allows all
DEFAULT_ACL_INGRESS = ((100, "allow", "-1", 0, 65535, WORLD), (32767, "deny", "-1", 0, 65535, WORLD))


@dataclass(frozen=True)
class ResourceSpec:
    """One resource the inventory will find; ``name`` is unique per (account_id, region, resource_type)."""

    account_id: str
    region: str
    resource_type: str
    name: str
    raw_tags: dict[str, str] = field(default_factory=dict)
    canonical_tags: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    age_days: int | None = None
    managed_by: str = "estate"  # "estate": seeding creates it; "aws": AWS creates it on its own

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.account_id, self.region, self.resource_type)


@dataclass(frozen=True)
class Estate:
    """The generated estate; ``resources`` are in creation order (what others refer to first), AWS's last."""

    seed: int
    size: int
    resources: tuple[ResourceSpec, ...]

    def of_type(self, resource_type: str) -> list[ResourceSpec]:
        return [r for r in self.resources if r.resource_type == resource_type]

    def expected_counts(self) -> dict[tuple[str, str, str], int]:
        """(account_id, region, resource_type) -> how many an inventory of the seeded server finds.

        Derived from ``resources``, which include what AWS creates on its own; keys with zero are absent.
        """
        return dict(Counter(r.key for r in self.resources))


def _has_world_port(port: int) -> Callable[[ResourceSpec], bool]:
    return lambda r: r.resource_type == "security_group" and (port, WORLD) in r.attributes["ingress"]


def _is(resource_type: str, condition: Callable[[dict[str, Any]], bool]) -> Callable[[ResourceSpec], bool]:
    return lambda r: r.resource_type == resource_type and condition(r.attributes)


def _old_key(attributes: dict[str, Any]) -> bool:
    return any(days > 90 for days in attributes["access_key_ages_days"])


MISCONFIGURATIONS: dict[str, Callable[[ResourceSpec], bool]] = {
    "ec2_instance_stopped": _is("ec2_instance", lambda a: a["state"] == "stopped"),
    "ebs_volume_unattached": _is("ebs_volume", lambda a: a["attached_to"] is None),
    "ebs_volume_unencrypted": _is("ebs_volume", lambda a: not a["encrypted"]),
    "ebs_snapshot_older_than_365_days": lambda r: r.resource_type == "ebs_snapshot" and r.age_days > 365,
    "elastic_ip_unassociated": _is("elastic_ip", lambda a: a["associated_with"] is None),
    "security_group_ssh_open_to_world": _has_world_port(22),
    "security_group_rdp_open_to_world": _has_world_port(3389),
    "s3_bucket_unencrypted": _is("s3_bucket", lambda a: a["encryption"] is None),
    "s3_bucket_versioning_disabled": _is("s3_bucket", lambda a: not a["versioning"]),
    "s3_bucket_public_access_not_blocked": _is("s3_bucket", lambda a: not a["public_access_block"]),
    "rds_instance_public": _is("rds_instance", lambda a: a["publicly_accessible"]),
    "rds_instance_unencrypted": _is("rds_instance", lambda a: not a["encrypted"]),
    "rds_instance_no_backups": _is("rds_instance", lambda a: a["backup_retention_days"] == 0),
    "iam_user_without_mfa": _is("iam_user", lambda a: not a["has_mfa"]),
    "iam_access_key_older_than_90_days": _is("iam_user", _old_key),
    "kms_key_rotation_disabled": _is("kms_key", lambda a: not a["rotation_enabled"]),
}


def generate_estate(seed: int = 42, size: int = 300) -> Estate:
    """The estate for this seed and size; the same arguments always give an equal estate."""
    if size < 1:
        raise ValueError(f"estate size must be positive, got {size}")
    builder = _Builder(random.Random(seed), size)
    for step in (
        _read_roles,
        _networks,
        _instances,
        _data_volumes,
        _snapshots,
        _elastic_ips,
        _buckets,
        _databases,
        _users,
        _roles,
        _functions,
        _load_balancers,
        _keys,
    ):
        step(builder)
    tagged = _apply_tag_styles(builder)
    extras = _password_policies() + _log_groups(tagged) + _account_security(tagged) + _account_settings(builder)
    created = with_compliance_settings(tagged + extras)
    created = created + with_compliance_settings(_trails(created))
    created = created + _trail_accounts(created)
    return Estate(seed=seed, size=size, resources=tuple(created + _created_by_aws(created)))


def _password_policies() -> list[ResourceSpec]:
    """Every account's password policy; added after the tag styles, which draw from the random stream."""
    return [ResourceSpec(account_id, GLOBAL_REGION, "iam_password_policy", PASSWORD_POLICY) for account_id in DEMO_ACCOUNTS]


def _log_groups(tagged: list[ResourceSpec]) -> list[ResourceSpec]:
    """Each account's log groups, beside its first KMS key; drawn from nothing random, so the rest of the
    estate stays as it was."""
    groups = []
    for number, account_id in enumerate(DEMO_ACCOUNTS):
        keys = [s for s in tagged if s.resource_type == "kms_key" and s.account_id == account_id]
        region = keys[0].region if keys else DEMO_REGIONS[0]
        tags = _platform_tags(account_id)
        for n in range(LOG_GROUPS_PER_ACCOUNT):
            name = f"/cloudforge-demo/{number}/app-{n}"
            key = keys[0].name if keys else None
            groups.append(ResourceSpec(account_id, region, "cloudwatch_log_group", name, tags, tags, {"key": key}))
    return groups


def _trails(created: list[ResourceSpec]) -> list[ResourceSpec]:
    """Each account's trail, into one of its buckets (their access logging is already settled), after a log
    group for it; an account without a bucket (the smallest estates) has neither."""
    trails = []
    for number, account_id in enumerate(DEMO_ACCOUNTS):
        buckets = [s for s in created if s.resource_type == "s3_bucket" and s.account_id == account_id]
        if not buckets:
            continue
        logged = [b for b in buckets if b.attributes["access_logging"] == (number != 1)]
        bucket = (logged or buckets)[0]
        keys = [s for s in created if s.resource_type == "kms_key" and s.account_id == account_id
                and s.region == bucket.region]
        tags = _platform_tags(account_id)
        key = keys[0].name if keys else None
        group = trail_log_group(number)
        trails.append(ResourceSpec(account_id, bucket.region, "cloudwatch_log_group", group, tags, tags, {"key": key}))
        attributes = {"bucket": bucket.name, "key": key, "log_group": group}
        trails.append(ResourceSpec(account_id, bucket.region, "cloudtrail_trail", f"{account_id}-management",
                                   tags, tags, attributes))
    return trails


def _trail_accounts(created: list[ResourceSpec]) -> list[ResourceSpec]:
    """Per account, what its multi-region trails add up to; trail_events: the events of each of them."""
    return [
        ResourceSpec(account_id, GLOBAL_REGION, "cloudtrail_account", TRAIL_ACCOUNT, attributes={"trail_events": tuple(
            s.attributes["events"] for s in created if s.resource_type == "cloudtrail_trail" and s.account_id == account_id
        )})
        for account_id in DEMO_ACCOUNTS
    ]
def trail_log_group(number: int) -> str:
    """The log group made for the n-th account's trail (``demo.compliance`` decides whether it delivers there)."""
    return f"/cloudforge-demo/{number}/cloudtrail"


def _platform_tags(account_id: str) -> dict[str, str]:
    """The platform team's canonical tags, for what it runs in every account."""
    projects, owners = TEAMS["platform"]
    return {"team": "platform", "project": projects[0], "env": ACCOUNT_ENVS[account_id][0], "owner": owners[0]}
def _account_security(tagged: list[ResourceSpec]) -> list[ResourceSpec]:
    """Each account's root user, support role, customer-managed policies and server certificate (see the
    module docstring); after the tag styles too, so the random stream stays as it was."""
    specs = []
    last = len(DEMO_ACCOUNTS) - 1
    for position, account_id in enumerate(DEMO_ACCOUNTS):
        users = sorted(s.name for s in tagged if s.resource_type == "iam_user" and s.account_id == account_id)
        add = partial(ResourceSpec, account_id, GLOBAL_REGION)
        specs.append(add("iam_account", ACCOUNT))
        if position != 1:
            tags = {"team": "platform", "project": "cloudforge", "env": "prod", "owner": "jonas.berg@example.com"}
            attributes = {"trusted_principal": f"arn:aws:iam::{account_id}:root", "managed_policies": (SUPPORT_POLICY,)}
            specs.append(add("iam_role", SUPPORT_ROLE, tags, tags, attributes))
        admin_users = tuple(users[:1]) if position != last else ()
        specs.append(add("iam_policy", ADMIN_POLICY, attributes={"actions": ("*",), "users": admin_users}))
        specs.append(add("iam_policy", REPORTS_POLICY, attributes={"actions": ("s3:GetObject",), "users": tuple(users[1:2])}))
        if position == 0:
            specs.append(add("iam_server_certificate", LEGACY_CERTIFICATE, attributes={"valid_days": (-395, -30)}))
    return specs


def _account_settings(b: _Builder) -> list[ResourceSpec]:
    """Per account: the region settings of each region, a custom network ACL in its first VPC of one region
    and an EFS file system; drawn from nothing random, so the rest of the estate stays as it was."""
    specs = []
    for i, account_id in enumerate(DEMO_ACCOUNTS):
        for region in DEMO_REGIONS:
            specs += [ResourceSpec(account_id, region, kind, name) for kind, name in REGION_SETTINGS.items()]
        region = DEMO_REGIONS[i % len(DEMO_REGIONS)]
        vpc = next(v for v in b.of("vpc", account_id) if v.region == region)
        tags = dict(vpc.canonical_tags)
        specs.append(ResourceSpec(account_id, region, "network_acl", f"{vpc.name}-acl", tags, tags, {"vpc": vpc.name}))
        specs.append(ResourceSpec(account_id, DEMO_REGIONS[0], "efs_file_system", f"{account_id}-shared", tags, tags))
    return specs


class _Builder:
    """Draws everything from one random stream, in a fixed order, and names resources uniquely per type."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.size = size
        self.specs: list[ResourceSpec] = []
        self._numbers: Counter[str] = Counter()

    def count(self, share: float) -> int:
        return max(1, round(self.size * share))

    def place(self) -> tuple[str, str]:
        return self.rng.choice(DEMO_ACCOUNTS), self.rng.choice(DEMO_REGIONS)

    def owner_tags(self, account_id: str, team: str | None = None) -> dict[str, str]:
        team = team or self.rng.choice(list(TEAMS))
        projects, owners = TEAMS[team]
        return {
            "team": team,
            "project": self.rng.choice(projects),
            "env": self.rng.choice(ACCOUNT_ENVS[account_id]),
            "owner": self.rng.choice(owners),
        }

    def add(
        self,
        account_id: str,
        region: str,
        resource_type: str,
        tags: dict[str, str],
        attributes: dict[str, Any],
        age_days: int | None = None,
        name: str | None = None,
    ) -> ResourceSpec:
        """Record a resource with its intended tags (``_apply_tag_styles`` decides how they are written)."""
        if name is None:
            self._numbers[resource_type] += 1
            name = f"{tags['team']}-{resource_type.replace('_', '-')}-{self._numbers[resource_type]:03d}"
        spec = ResourceSpec(
            account_id, region, resource_type, name, dict(tags), dict(tags), attributes, age_days
        )
        self.specs.append(spec)
        return spec

    def exactly(self, n: int, share: float, at_least: int = 1) -> list[bool]:
        """n shuffled flags, round(n * share) true, at least ``at_least``, at most n - 1 (for n > 1)."""
        true = min(max(at_least, round(n * share)), n - 1 if n > 1 else n)
        flags = [True] * true + [False] * (n - true)
        self.rng.shuffle(flags)
        return flags

    def of(self, resource_type: str, account_id: str | None = None) -> list[ResourceSpec]:
        return [
            s for s in self.specs if s.resource_type == resource_type and account_id in (None, s.account_id)
        ]

    def in_vpc(self, resource_type: str, vpc: ResourceSpec) -> list[ResourceSpec]:
        return [
            s
            for s in self.of(resource_type, vpc.account_id)
            if s.region == vpc.region and s.attributes["vpc"] == vpc.name
        ]


def _read_roles(b: _Builder) -> None:
    """CloudForge's own read role in every account, trusted by the first account, tagged by the book."""
    trusted = f"arn:aws:iam::{DEMO_ACCOUNTS[0]}:root"
    for account_id in DEMO_ACCOUNTS:
        tags = b.owner_tags(account_id, "platform") | {"project": "cloudforge"}
        attributes = {"trusted_principal": trusted}
        b.add(account_id, GLOBAL_REGION, "iam_role", tags, attributes, name=READ_ROLE_NAME)


def _networks(b: _Builder) -> None:
    """Platform-owned VPCs in every account-region, two subnets and an app group each; extra groups."""
    per_region = min(1 + b.size // 500, 28)  # keeps every VPC in its own 10.<n>.0.0/16
    for account_id in DEMO_ACCOUNTS:
        for region in DEMO_REGIONS:
            for _ in range(per_region):
                octet = len(b.of("vpc")) + 1
                tags = b.owner_tags(account_id, "platform") | {"project": "shared-network"}
                network = {"cidr_block": f"10.{octet}.0.0/16", "is_default": False}
                vpc = b.add(account_id, region, "vpc", tags, network)
                for i, zone in enumerate(AVAILABILITY_ZONES[region][:2]):
                    subnet = {
                        "vpc": vpc.name,
                        "cidr_block": f"10.{octet}.{16 * i}.0/20",
                        "availability_zone": zone,
                        "is_default": False,
                    }
                    b.add(account_id, region, "subnet", tags, subnet)
                app_group = {"vpc": vpc.name, "ingress": APP_SECURITY_GROUP_INGRESS}
                b.add(account_id, region, "security_group", tags, app_group)
    kinds = list(SECURITY_GROUP_KINDS)
    for i in range(b.count(0.05)):
        vpc = b.rng.choice(b.of("vpc"))
        group = {"vpc": vpc.name, "ingress": SECURITY_GROUP_KINDS[kinds[i % len(kinds)]]}
        b.add(vpc.account_id, vpc.region, "security_group", b.owner_tags(vpc.account_id), group)


def _instances(b: _Builder) -> None:
    """Instances, each with the root volume it launches with (same age, same tags)."""
    count = b.count(0.15)
    for stopped, root_unencrypted in zip(b.exactly(count, 0.25), b.exactly(count, 0.5)):
        vpc = b.rng.choice(b.of("vpc"))
        subnet = b.rng.choice(b.in_vpc("subnet", vpc))
        group = b.rng.choice(b.in_vpc("security_group", vpc))
        zone = subnet.attributes["availability_zone"]
        age = b.rng.randint(1, 900)
        attributes = {
            "state": "stopped" if stopped else "running",
            "instance_type": b.rng.choice(
                ("t3.micro", "t3.medium", "m5.large", "m5.xlarge", "c5.2xlarge", "r5.large")
            ),
            "subnet": subnet.name,
            "security_group": group.name,
            "availability_zone": zone,
        }
        tags = b.owner_tags(vpc.account_id)
        instance = b.add(vpc.account_id, vpc.region, "ec2_instance", tags, attributes, age)
        root = {
            "availability_zone": zone,
            "size_gib": b.rng.choice((8, 20, 30, 50)),
            "volume_type": b.rng.choice(("gp2", "gp3")),
            "encrypted": not root_unencrypted,
            "attached_to": instance.name,
            "device": ROOT_DEVICE,
        }
        b.add(instance.account_id, instance.region, "ebs_volume", tags, root, age)


def _data_volumes(b: _Builder) -> None:
    """Data volumes: most attached to an instance (its zone, its owner), some left unattached."""
    count = b.count(0.07)
    devices: Counter[str] = Counter()
    for unattached, unencrypted in zip(b.exactly(count, 0.3), b.exactly(count, 0.3)):
        if unattached:
            account_id, region = b.place()
            zone, tags = b.rng.choice(AVAILABILITY_ZONES[region]), b.owner_tags(account_id)
            instance = device = None
        else:
            owner = b.rng.choice(b.of("ec2_instance"))
            account_id, region, instance = owner.account_id, owner.region, owner.name
            zone, tags = owner.attributes["availability_zone"], owner.canonical_tags
            device = f"/dev/sd{'fghijklmnop'[devices[instance]]}"
            devices[instance] += 1
        size_gib = b.rng.choice((50, 100, 200, 500, 1000))
        attributes = {
            "availability_zone": zone,
            "size_gib": size_gib,
            "volume_type": b.rng.choice(("gp3", "gp2") if size_gib < 500 else ("gp3", "st1")),
            "encrypted": not unencrypted,
            "attached_to": instance,
            "device": device,
        }
        b.add(account_id, region, "ebs_volume", tags, attributes, b.rng.randint(1, 700))


def _snapshots(b: _Builder) -> None:
    for old in b.exactly(b.count(0.06), 0.35):
        volume = b.rng.choice(b.of("ebs_volume"))
        age = b.rng.randint(400, 1100) if old else b.rng.randint(1, 330)
        attributes = {
            "volume": volume.name,
            "size_gib": volume.attributes["size_gib"],
            "encrypted": volume.attributes["encrypted"],
        }
        b.add(volume.account_id, volume.region, "ebs_snapshot", volume.canonical_tags, attributes, age)


def _elastic_ips(b: _Builder) -> None:
    flags = b.exactly(b.count(0.03), 0.35)
    instances = b.rng.sample(b.of("ec2_instance"), min(flags.count(False), len(b.of("ec2_instance"))))
    for unassociated in flags:
        if unassociated or not instances:
            account_id, region = b.place()
            b.add(account_id, region, "elastic_ip", b.owner_tags(account_id), {"associated_with": None})
        else:
            instance = instances.pop()
            attributes = {"associated_with": instance.name}
            b.add(instance.account_id, instance.region, "elastic_ip", instance.canonical_tags, attributes)


def _buckets(b: _Builder) -> None:
    count = b.count(0.08)
    flags = zip(b.exactly(count, 0.25), b.exactly(count, 0.4), b.exactly(count, 0.3))
    for unencrypted, unversioned, unblocked in flags:
        account_id, region = b.place()
        attributes = {
            "encryption": None if unencrypted else b.rng.choice(("AES256", "aws:kms")),
            "versioning": not unversioned,
            "public_access_block": not unblocked,
        }
        b.add(account_id, region, "s3_bucket", b.owner_tags(account_id), attributes)


def _databases(b: _Builder) -> None:
    count = b.count(0.04)
    for public, unencrypted, no_backups in zip(
        b.exactly(count, 0.2), b.exactly(count, 0.25), b.exactly(count, 0.2)
    ):
        account_id, region = b.place()
        attributes = {
            "engine": b.rng.choice(("postgres", "mysql")),
            "instance_class": b.rng.choice(("db.t3.micro", "db.t3.medium", "db.m5.large", "db.r5.xlarge")),
            "allocated_storage_gib": b.rng.choice((20, 50, 100, 200, 500)),
            "publicly_accessible": public,
            "encrypted": not unencrypted,
            "backup_retention_days": 0 if no_backups else b.rng.choice((1, 7, 14, 35)),
            "multi_az": b.rng.random() < 0.3,
        } | _database_network(b, account_id, region)
        age = b.rng.randint(30, 1200)
        b.add(account_id, region, "rds_instance", b.owner_tags(account_id), attributes, age)


def _database_network(b: _Builder, account_id: str, region: str) -> dict[str, Any]:
    """Where a database lives: the first VPC of its account-region, in both its subnets, behind its app group
    (drawn from no random number, so the rest of the estate stays as it was)."""
    vpc = next(v for v in b.of("vpc", account_id) if v.region == region)
    return {
        "vpc": vpc.name,
        "subnets": tuple(s.name for s in b.in_vpc("subnet", vpc)),
        "security_group": b.in_vpc("security_group", vpc)[0].name,
    }


def _users(b: _Builder) -> None:
    """Users with zero to two access keys; an old key is at least 120 days old, a fresh one at most 60."""
    count = b.count(0.06)
    for no_mfa, no_keys, old_key in zip(
        b.exactly(count, 0.4), b.exactly(count, 0.1, at_least=0), b.exactly(count, 0.35)
    ):
        account_id = b.rng.choice(DEMO_ACCOUNTS)
        keys = [] if no_keys else [b.rng.randint(1, 60) for _ in range(b.rng.choice((1, 1, 1, 2)))]
        if old_key and keys:
            keys[0] = b.rng.randint(120, 700)
        attributes = {"has_mfa": not no_mfa, "access_key_ages_days": tuple(keys)}
        age = max(keys, default=0) + b.rng.randint(1, 400)
        b.add(account_id, GLOBAL_REGION, "iam_user", b.owner_tags(account_id), attributes, age)


LAMBDA_SERVICE = "lambda.amazonaws.com"


def _roles(b: _Builder) -> None:
    """A function role in every account (so every account can run functions), then service roles."""
    for account_id in DEMO_ACCOUNTS:
        attributes = {"trusted_principal": LAMBDA_SERVICE}
        b.add(account_id, GLOBAL_REGION, "iam_role", b.owner_tags(account_id), attributes)
    for _ in range(b.count(0.03)):
        account_id = b.rng.choice(DEMO_ACCOUNTS)
        service = b.rng.choice(("ec2.amazonaws.com", "ecs-tasks.amazonaws.com", LAMBDA_SERVICE))
        b.add(account_id, GLOBAL_REGION, "iam_role", b.owner_tags(account_id), {"trusted_principal": service})


def _functions(b: _Builder) -> None:
    for _ in range(b.count(0.06)):
        account_id, region = b.place()
        roles = [
            r for r in b.of("iam_role", account_id) if r.attributes["trusted_principal"] == LAMBDA_SERVICE
        ]
        attributes = {
            "runtime": b.rng.choice(("python3.12", "python3.9", "nodejs20.x", "nodejs18.x")),
            "memory_mb": b.rng.choice((128, 256, 512, 1024)),
            "role": b.rng.choice(roles).name,
        }
        b.add(account_id, region, "lambda_function", b.owner_tags(account_id), attributes)


def _load_balancers(b: _Builder) -> None:
    for _ in range(b.count(0.02)):
        vpc = b.rng.choice(b.of("vpc"))
        subnets = tuple(s.name for s in b.in_vpc("subnet", vpc))
        attributes = {
            "vpc": vpc.name,
            "subnets": subnets,
            "security_group": b.in_vpc("security_group", vpc)[0].name,  # the VPC's app group
            "scheme": b.rng.choice(("internet-facing", "internal")),
            "targets": tuple(
                i.name for i in b.of("ec2_instance", vpc.account_id)
                if i.region == vpc.region and i.attributes["subnet"] in subnets and i.attributes["state"] == "running"
            ),
        }
        b.add(vpc.account_id, vpc.region, "load_balancer", b.owner_tags(vpc.account_id), attributes)


def _keys(b: _Builder) -> None:
    for no_rotation in b.exactly(b.count(0.03), 0.4):
        account_id, region = b.place()
        attributes = {"rotation_enabled": not no_rotation, "aws_managed": False}
        b.add(account_id, region, "kms_key", b.owner_tags(account_id), attributes)


def _apply_tag_styles(b: _Builder) -> list[ResourceSpec]:
    """Write each resource's intended tags as its owner did: cleanly, with variant keys, partly or not at all.

    Root volumes copy their instance's final tags; the read roles stay clean (CloudForge tags its own role).
    """
    chosen = [s for s in b.specs if s.name != READ_ROLE_NAME and s.attributes.get("device") != ROOT_DEVICE]
    n = len(chosen)
    styles = ["none"] * round(0.10 * n) + ["partial"] * round(0.08 * n) + ["variant"] * round(0.17 * n)
    styles += ["canonical"] * (n - len(styles))
    b.rng.shuffle(styles)
    variants = [(key, raw) for key, raws in TAG_KEY_VARIANTS.items() for raw in raws[1:]]
    b.rng.shuffle(variants)
    capitalised = iter(b.exactly(n, 0.2))
    style_of = {id(s): style for s, style in zip(chosen, styles)}
    instances: dict[tuple[str, str, str], ResourceSpec] = {}
    written = []
    for spec in b.specs:
        if spec.attributes.get("device") == ROOT_DEVICE:
            instance = instances[(spec.account_id, spec.region, spec.attributes["attached_to"])]
            tags = {"raw_tags": dict(instance.raw_tags), "canonical_tags": dict(instance.canonical_tags)}
            spec = replace(spec, **tags)
        elif id(spec) in style_of:
            spec = _write_tags(b.rng, spec, style_of[id(spec)], variants, next(capitalised))
        if spec.resource_type == "ec2_instance":
            instances[(spec.account_id, spec.region, spec.name)] = spec
        written.append(spec)
    return written


def _write_tags(
    rng: random.Random, spec: ResourceSpec, style: str, variants: list[tuple[str, str]], capitalise_env: bool
) -> ResourceSpec:
    intended = dict(spec.canonical_tags)
    if style == "none":
        return replace(spec, raw_tags={}, canonical_tags={})
    if style == "partial":
        for key in rng.sample(CANONICAL_TAG_KEYS, rng.randint(1, 3)):
            del intended[key]
    raw_key = {key: key for key in intended}
    if style == "variant":
        key, raw = variants.pop(0)  # cycle through every variant before repeating one
        variants.append((key, raw))
        raw_key[key] = raw
        if rng.random() < 0.5:
            other = rng.choice([k for k in CANONICAL_TAG_KEYS if k != key])
            raw_key[other] = rng.choice(TAG_KEY_VARIANTS[other][1:])
    raw = {raw_key[key]: value for key, value in intended.items()}
    if capitalise_env and "env" in intended:
        raw[raw_key["env"]] = intended["env"].capitalize()
    return replace(spec, raw_tags=raw, canonical_tags=intended)


def _created_by_aws(created: list[ResourceSpec]) -> list[ResourceSpec]:
    """The resources AWS makes by itself in the estate's account-regions (see the module docstring)."""
    made = []
    for account_id in DEMO_ACCOUNTS:
        for region in DEMO_REGIONS:
            here = [s for s in created if s.account_id == account_id and s.region == region]
            aws = partial(_aws_made, account_id, region)
            made.append(aws("vpc", "default", cidr_block=DEFAULT_VPC_CIDR, is_default=True))
            for i, zone in enumerate(AVAILABILITY_ZONES[region]):
                cidr = f"172.31.{16 * i}.0/20"
                subnet = {"vpc": "default", "cidr_block": cidr, "availability_zone": zone, "is_default": True}
                made.append(aws("subnet", f"default-{zone}", **subnet))
            for vpc in ["default"] + [s.name for s in here if s.resource_type == "vpc"]:
                made.append(aws("security_group", f"default ({vpc})", vpc=vpc, ingress=()))
                made.append(aws("network_acl", f"default ({vpc})", vpc=vpc, ingress=DEFAULT_ACL_INGRESS))
            if any(s.resource_type == "ebs_volume" and s.attributes["encrypted"] for s in here):
                made.append(aws("kms_key", "alias/aws/ebs", rotation_enabled=True, aws_managed=True))
    return made


def _aws_made(account_id: str, region: str, resource_type: str, name: str, **attributes: Any) -> ResourceSpec:
    return ResourceSpec(account_id, region, resource_type, name, attributes=attributes, managed_by="aws")
