"""The drift rules of cloudforge/terraform/drift.py: canonical shapes, differences, ignore rules, classification."""

from __future__ import annotations

import re

import pytest

from cloudforge.settings import DriftIgnoreRule
from cloudforge.terraform.drift import (
    Declared,
    Live,
    canonical_attributes,
    classify,
    counts,
    differences,
    glob_regex,
    ignore_rules,
    ignored_by,
)


def test_security_group_rules_become_sorted_strings_one_per_source() -> None:
    declared = {"ingress": [
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0", "10.0.0.0/8"]},
        {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": [], "security_groups": ["sg-2"], "self": True},
    ], "vpc_security_group_ids": ["sg-b", "sg-a"]}
    assert canonical_attributes(declared) == {
        "ingress": ["all self", "all sg-2", "tcp 443-443 0.0.0.0/0", "tcp 443-443 10.0.0.0/8"],
        "vpc_security_group_ids": ["sg-a", "sg-b"],
    }


def test_differences_compare_shared_attributes_blank_as_nothing_and_tags_key_by_key() -> None:
    declared = {"instance_type": "t3.micro", "ami": "", "subnet_id": "subnet-1",
                "tags": {"team": "data", "backup": "daily"}}
    live = {"instance_type": "m5.large", "ami": None, "tags": {"team": "data", "Name": "x"}}
    assert differences(declared, live) == [
        ("instance_type", "t3.micro", "m5.large"), ("tags.Name", None, "x"), ("tags.backup", "daily", None),
    ]


@pytest.mark.parametrize(("glob", "text", "matches"), [
    ("*", "anything", True), ("data-*", "data-s3-1", True), ("data-*", "xdata-1", False),
    ("sg-??", "sg-12", True), ("sg-??", "sg-123", False), ("a.b", "axb", False), ("tags.*", "tags.team", True),
])
def test_globs_are_anchored_regular_expressions(glob: str, text: str, matches: bool) -> None:
    assert (re.match(glob_regex(glob), text) is not None) is matches


def test_the_last_matching_rule_decides_and_a_negation_unignores() -> None:
    rules = ignore_rules([
        DriftIgnoreRule(type="s3_bucket", id="data-*", reason="notebook buckets"),
        DriftIgnoreRule(type="aws_s3_bucket", id="!data-keep"),
        DriftIgnoreRule(type="lambda_function", attributes=["memory_size"], reason="tuned"),
    ])
    assert ignored_by(rules, "s3_bucket", None, "data-tmp").reason == "notebook buckets"
    assert ignored_by(rules, "s3_bucket", "aws_s3_bucket", "data-keep") is None
    assert ignored_by(rules, "s3_bucket", None, "web-assets") is None
    assert ignored_by(rules, "lambda_function", None, "f", "memory_size").reason == "tuned"
    assert ignored_by(rules, "lambda_function", None, "f") is None  # an attribute rule leaves the resource alone


def test_a_rule_without_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        DriftIgnoreRule(type="vpc")


def declared(resource_id: str, uri: str = "a.tfstate", account: str | None = "111111111111", **attributes):
    return Declared(uri, f"aws_instance.{resource_id}", "aws_instance", "ec2_instance", resource_id, account,
                    "us-east-1", attributes)


def live(resource_id: str, account: str = "111111111111", **attributes):
    return Live(account, "us-east-1", "ec2_instance", resource_id, attributes)


def test_classification_of_the_four_categories_and_a_conflict() -> None:
    items = classify(
        [declared("i-same", instance_type="t3.micro"), declared("i-changed", instance_type="t3.micro"),
         declared("i-gone"), declared("i-same", uri="b.tfstate"),
         declared("i-other-account", account="222222222222")],
        [live("i-same", instance_type="t3.micro"), live("i-changed", instance_type="m5.large"), live("i-hand"),
         live("i-other-account")],
        [],
    )
    by_id = {(i.resource_id, i.account_id): i for i in items}
    assert {key: i.category for key, i in by_id.items()} == {
        ("i-same", "111111111111"): "managed", ("i-changed", "111111111111"): "changed",
        ("i-gone", "111111111111"): "missing", ("i-hand", "111111111111"): "unmanaged",
        ("i-other-account", "222222222222"): "missing", ("i-other-account", "111111111111"): "unmanaged",
    }
    assert by_id[("i-same", "111111111111")].declared_by == ["a.tfstate aws_instance.i-same",
                                                              "b.tfstate aws_instance.i-same"]
    assert counts(items) == {"managed": 1, "changed": 1, "missing": 2, "unmanaged": 2, "ignored": 0}


def test_ignored_items_are_counted_apart_and_ignored_differences_do_not_change_a_resource() -> None:
    rules = ignore_rules([DriftIgnoreRule(type="ec2_instance", id="i-hand", reason="break glass"),
                          DriftIgnoreRule(attributes=["instance_type"], reason="rightsizing")])
    items = classify([declared("i-changed", instance_type="t3.micro")],
                     [live("i-changed", instance_type="m5.large"), live("i-hand")], rules)
    assert [(i.resource_id, i.category, i.ignored_reason) for i in items] == [
        ("i-changed", "managed", None), ("i-hand", "unmanaged", "break glass")]
    assert items[0].differences == [{"path": "instance_type", "declared": "t3.micro", "live": "m5.large",
                                     "ignored_reason": "rightsizing"}]
    assert counts(items) == {"managed": 1, "changed": 0, "missing": 0, "unmanaged": 0, "ignored": 1}
