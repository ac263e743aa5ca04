"""The demo estate generator: deterministic, internally consistent, and as messy as it promises."""

from __future__ import annotations

from collections import Counter

import pytest

from cloudforge.settings import DEMO_ACCOUNTS, DEMO_REGIONS, READ_ROLE_NAME
from demo.estate import (
    CANONICAL_TAG_KEYS,
    GLOBAL_REGION,
    MISCONFIGURATIONS,
    RESOURCE_TYPES,
    ROOT_DEVICE,
    REGION_SETTINGS,
    TAG_KEY_VARIANTS,
    Estate,
    ResourceSpec,
    generate_estate,
)


@pytest.fixture(scope="module")
def estate() -> Estate:
    return generate_estate()


def created(estate: Estate) -> list[ResourceSpec]:
    return [r for r in estate.resources if r.managed_by == "estate"]


def test_same_seed_gives_the_same_estate_and_another_seed_another() -> None:
    assert generate_estate(42, 300) == generate_estate(42, 300)
    assert generate_estate(7, 300).resources != generate_estate(42, 300).resources


def test_size_scales_what_the_estate_creates() -> None:
    small, large = (len(created(generate_estate(42, size))) for size in (300, 900))
    assert 0.85 * 600 <= large - small <= 1.15 * 600
    # on top of what scales, each account gets its settings (password policy, root user, trail, log groups,
    # per-region EBS default, Config, Security Hub, GuardDuty ...): a fixed part
    assert 300 <= small <= 1.4 * 300


def test_every_type_lives_in_the_demo_accounts_and_regions_with_unique_names(estate: Estate) -> None:
    assert {r.resource_type for r in estate.resources} == set(RESOURCE_TYPES)
    assert {r.account_id for r in estate.resources} == set(DEMO_ACCOUNTS)
    for r in estate.resources:
        is_global = r.resource_type.startswith("iam_") or r.resource_type == "cloudtrail_account"
        expected_regions = {GLOBAL_REGION} if is_global else set(DEMO_REGIONS)
        assert r.region in expected_regions, r
    names = Counter((*r.key, r.name) for r in estate.resources)
    assert [name for name, n in names.items() if n > 1] == []
    assert estate.expected_counts() == Counter(r.key for r in estate.resources)


def test_each_misconfiguration_occurs_but_not_on_every_resource_of_its_type(estate: Estate) -> None:
    for kind, applies in MISCONFIGURATIONS.items():
        hits = [r for r in estate.resources if applies(r)]
        assert hits, kind
        of_type = estate.of_type(hits[0].resource_type)
        assert len(hits) < len(of_type), kind


def test_references_point_at_resources_in_the_same_place(estate: Estate) -> None:
    named = {(*r.key, r.name): r for r in estate.resources}

    def find(r: ResourceSpec, resource_type: str, name: str) -> ResourceSpec:
        return named[(r.account_id, r.region, resource_type, name)]

    for r in estate.resources:
        a = r.attributes
        if r.resource_type in ("subnet", "security_group"):
            find(r, "vpc", a["vpc"])
        elif r.resource_type == "ec2_instance":
            subnet = find(r, "subnet", a["subnet"])
            assert subnet.attributes["availability_zone"] == a["availability_zone"]
            group = find(r, "security_group", a["security_group"])
            assert group.attributes["vpc"] == subnet.attributes["vpc"]
        elif r.resource_type == "ebs_volume" and a["attached_to"]:
            instance = find(r, "ec2_instance", a["attached_to"])
            assert instance.attributes["availability_zone"] == a["availability_zone"]
        elif r.resource_type == "ebs_snapshot":
            volume = find(r, "ebs_volume", a["volume"])
            copied = ("encrypted", "size_gib")
            assert [a[k] for k in copied] == [volume.attributes[k] for k in copied]
        elif r.resource_type == "elastic_ip" and a["associated_with"]:
            find(r, "ec2_instance", a["associated_with"])
        elif r.resource_type == "lambda_function":
            role = named[(r.account_id, GLOBAL_REGION, "iam_role", a["role"])]
            assert role.attributes["trusted_principal"] == "lambda.amazonaws.com"
        elif r.resource_type == "load_balancer":
            zones = {find(r, "subnet", s).attributes["availability_zone"] for s in a["subnets"]}
            assert len(zones) == len(a["subnets"]) >= 2
            assert find(r, "security_group", a["security_group"]).attributes["vpc"] == a["vpc"]
    instances = estate.of_type("ec2_instance")
    roots = [v for v in estate.of_type("ebs_volume") if v.attributes["device"] == ROOT_DEVICE]
    assert sorted((v.account_id, v.region, v.attributes["attached_to"]) for v in roots) == sorted(
        (i.account_id, i.region, i.name) for i in instances
    )
    for root in roots:
        assert root.raw_tags == find(root, "ec2_instance", root.attributes["attached_to"]).raw_tags
    associated = [e.attributes["associated_with"] for e in estate.of_type("elastic_ip")]
    assert len(associated) - associated.count(None) == len(set(associated) - {None})


def test_ages_keep_clear_of_the_thresholds(estate: Estate) -> None:
    snapshot_ages = {r.age_days for r in estate.of_type("ebs_snapshot")}
    assert all(age > 395 or age < 335 for age in snapshot_ages)
    for user in estate.of_type("iam_user"):
        keys = user.attributes["access_key_ages_days"]
        assert all(age > 110 or age < 70 for age in keys)
        assert user.age_days > max(keys, default=0)
    aged = {r.resource_type for r in estate.resources if r.age_days is not None}
    assert aged == {"ec2_instance", "ebs_volume", "ebs_snapshot", "rds_instance", "iam_user"}


def normalise(raw: dict[str, str]) -> dict[str, str]:
    """What the dbt tag rules do: map each raw key through the variant table, lower-case env values."""
    canonical_of = {raw_key: key for key, raw_keys in TAG_KEY_VARIANTS.items() for raw_key in raw_keys}
    tags = {canonical_of[k]: v for k, v in raw.items()}
    return tags | ({"env": tags["env"].lower()} if "env" in tags else {})


def test_canonical_tags_are_what_normalising_the_raw_tags_gives(estate: Estate) -> None:
    for r in estate.resources:
        assert normalise(r.raw_tags) == r.canonical_tags, r
        assert set(r.canonical_tags) <= set(CANONICAL_TAG_KEYS)


def test_tags_are_messy_in_every_documented_way(estate: Estate) -> None:
    # account and region settings have no tags in the API
    resources = [r for r in created(estate) if r.resource_type not in {"iam_password_policy", *REGION_SETTINGS}]
    used_keys = {k for r in resources for k in r.raw_tags}
    assert used_keys == {k for raw_keys in TAG_KEY_VARIANTS.values() for k in raw_keys}
    untagged = [r for r in resources if not r.raw_tags]
    partial = [r for r in resources if r.raw_tags and len(r.canonical_tags) < len(CANONICAL_TAG_KEYS)]
    variant = [r for r in resources if set(r.raw_tags) - set(CANONICAL_TAG_KEYS)]
    capitalised = [r for r in resources if any(v in ("Prod", "Staging", "Dev") for v in r.raw_tags.values())]
    for group, share in ((untagged, 0.10), (partial, 0.08), (variant, 0.17), (capitalised, 0.2)):
        assert 0.5 * share * len(resources) < len(group) < 1.6 * share * len(resources)
    envs = {r.canonical_tags["env"] for r in resources if "env" in r.canonical_tags}
    assert envs == {"prod", "staging", "dev"}
    assert all(r.raw_tags == {} for r in estate.resources if r.managed_by == "aws")
    for role in (r for r in estate.of_type("iam_role") if r.name == READ_ROLE_NAME):
        assert role.raw_tags == role.canonical_tags and role.canonical_tags["team"] == "platform"
