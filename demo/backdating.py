"""Backdating: moto stamps every creation time with "now"; the demo estate needs old things (access keys older
than 90 days, year-old snapshots, long-running instances). This moves a created resource's creation time back
in moto's in-process backends, after which the API reports the old time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from demo.estate import ResourceSpec

# resource_type -> (moto service, how to find the object by id, its creation-time attribute)
_CREATION_TIME: dict[str, tuple[str, Callable[[Any, str], Any], str]] = {
    "ec2_instance": ("ec2", lambda backend, rid: backend.get_instance(rid), "launch_time"),
    "ebs_volume": ("ec2", lambda backend, rid: backend.get_volume(rid), "create_time"),
    "ebs_snapshot": ("ec2", lambda backend, rid: backend.get_snapshot(rid), "start_time"),
    "rds_instance": ("rds", lambda backend, rid: backend.databases[rid], "instance_create_time"),
    "iam_user": ("iam", lambda backend, rid: backend.get_user(rid), "create_date"),
}


def backdate(spec: ResourceSpec, resource_id: str, now: datetime) -> None:
    """Move the resource's creation time (and a user's access keys') back by its age, in moto's backend."""
    from moto.backends import get_backend

    service, find, attribute = _CREATION_TIME[spec.resource_type]
    model = find(get_backend(service)[spec.account_id][spec.region], resource_id)
    _set_time(model, attribute, now - timedelta(days=spec.age_days))
    if spec.resource_type == "iam_user":  # keys in creation order, like the ages
        for key, age in zip(model.access_keys, spec.attributes["access_key_ages_days"], strict=True):
            _set_time(key, "create_date", now - timedelta(days=age))


def _set_time(model: Any, attribute: str, when: datetime) -> None:
    """Set a moto timestamp, keeping the naive-or-aware kind that model uses."""
    current = getattr(model, attribute)
    setattr(model, attribute, when if current.tzinfo else when.replace(tzinfo=None))
