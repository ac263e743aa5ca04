"""A Terraform state (format version 4, as ``terraform state pull`` writes it) -> declared resource rows.

Plain parsing, no I/O. Secrets never leave this module: every attribute a state instance lists in
``sensitive_attributes``, and every attribute whose name says it is a secret (password, token, private_key,
...), at any depth, is replaced by ``REDACTED`` before anything is kept; only the comparable attributes of
mapped types (cloudforge/terraform/types.py) are kept at all. Errors name the file and the resource, never
a value.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson

from cloudforge.terraform.drift import canonical_attributes
from cloudforge.terraform.types import TERRAFORM_TYPES

SUPPORTED_VERSION = 4
REDACTED = "(redacted)"
CONTAINERS = (dict, list)  # what decoded JSON nests: compared by exact type, the cheapest test per value
SECRET_NAME = re.compile(
    r"(?i)(?:^|[_\-.])(password|passwd|passphrase|secret|token|private_key|access_key|api_key|credentials?)"
    r"(?:$|[_\-.])"
)
NAMES_REMEMBERED = 4096
_NOT_SECRET_NAMES: set[str] = set()  # attribute and tag names seen that do not say secret


class StateError(ValueError):
    """A state file that cannot be read as a version 4 state; the message names the file and what is wrong."""

    def __init__(self, source_uri: str, what: str) -> None:
        super().__init__(f"{source_uri}: {what}")
        self.source_uri = source_uri


@dataclass(slots=True)  # not frozen: 20,000 instances are built per bench load, and a frozen init is 3x slower
class DeclaredResource:
    address: str
    module: str  # "" for the root module, else "module.a.module.b" with instance keys
    mode: str  # "managed", or "data" (a data source: read, not declared)
    type: str
    name: str
    index_key: int | str | None  # count -> int, for_each -> str, neither -> None
    provider: str
    inventory_type: str | None  # None for data sources and unmapped types
    resource_id: str | None
    attributes: dict[str, Any]  # the comparable attributes, scrubbed, in drift's canonical shape
    account_id: str | None = None  # from the instance's ARN
    region: str | None = None  # from its ARN or ``region`` attribute; "global" for IAM


@dataclass(frozen=True)
class StateFile:
    """A state file decoded, its header checked, its resource blocks not yet read: enough to tell whether it
    changed since it was loaded, before the per-instance work of ``declared``. The blocks hold the state's
    secrets: they are never printed (``repr``) and read only by ``declared``, which scrubs what it keeps."""

    source_uri: str
    terraform_version: str | None
    serial: int | None  # None (with lineage) for an empty file: nothing was ever written to it
    lineage: str | None
    blocks: list[Any] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class State:
    source_uri: str
    terraform_version: str | None
    serial: int | None
    lineage: str | None
    resources: list[DeclaredResource]


def parse_state(source_uri: str, content: bytes) -> State:
    """The declared resources of one state file; ``StateError`` naming ``source_uri`` when it is not one."""
    return declared(read_state(source_uri, content))


def read_state(source_uri: str, content: bytes) -> StateFile:
    """``content`` decoded and its header checked; ``StateError`` when it is not a version 4 state."""
    if not content.strip():
        return StateFile(source_uri, None, None, None)
    with no_cyclic_gc():
        try:
            state = orjson.loads(content)  # 3x faster than json on state files; bad UTF-8 is a JSONDecodeError too
        except json.JSONDecodeError as error:
            raise StateError(source_uri, f"not JSON ({type(error).__name__} at position "
                                         f"{getattr(error, 'pos', getattr(error, 'start', '?'))})") from None
    if not isinstance(state, dict):
        raise StateError(source_uri, f"a state is a JSON object, found {type(state).__name__}")
    version = state.get("version")
    if version != SUPPORTED_VERSION:
        raise StateError(
            source_uri, f"state format version {version!r} is not supported; only version 4 (Terraform 0.12 and "
            "later) is read: run `terraform state pull` with a current Terraform to upgrade it"
        )
    serial, lineage = state.get("serial"), state.get("lineage")
    if not isinstance(serial, int) or not isinstance(lineage, str) or not lineage:
        raise StateError(source_uri, "a version 4 state needs an integer serial and a lineage")
    blocks = state.get("resources", [])
    if not isinstance(blocks, list):
        raise StateError(source_uri, "resources is not a list")
    return StateFile(source_uri, state.get("terraform_version"), serial, lineage, blocks)


def declared(state_file: StateFile) -> State:
    """The declared resources of a state file's blocks, scrubbed; ``StateError`` naming the block it cannot read."""
    resources: list[DeclaredResource] = []
    with no_cyclic_gc():
        for number, block in enumerate(state_file.blocks):
            _add_resource_rows(resources, state_file.source_uri, number, block)
    return State(state_file.source_uri, state_file.terraform_version, state_file.serial, state_file.lineage,
                 _with_state_account(resources))


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Decoding a state allocates a dict or list per JSON object and array, hundreds of thousands, none in a
    cycle: the cyclic collector would walk them again and again (a third of the decoding time), and once more
    when it is enabled again while they live: a caller holding states (the loader, for a batch) takes this
    around all its work, so they are freed by reference counting before the collector runs."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_state_account(declared: list[DeclaredResource]) -> list[DeclaredResource]:
    """A mapped resource whose ARN names no account (an S3 bucket) takes the account most of its state's
    resources are in: a state is applied with one provider account."""
    accounts = Counter(r.account_id for r in declared if r.account_id)
    if accounts:
        account = accounts.most_common(1)[0][0]
        for r in declared:
            if r.inventory_type and not r.account_id:
                r.account_id = account
    return declared


def _add_resource_rows(rows: list[DeclaredResource], source_uri: str, number: int, resource: Any) -> None:
    """The instances of one resource block added to ``rows`` (per instance and block the least work: a state holds
    thousands of blocks, most of one instance, so not even a list of their own)."""
    if not isinstance(resource, dict):
        raise StateError(source_uri, f"resources[{number}] is not an object")
    try:
        mode, type_, name = resource["mode"], resource["type"], resource["name"]
    except KeyError as missing:
        raise StateError(source_uri, f"resources[{number}] has no {missing.args[0]}") from None
    instances, module = resource.get("instances", []), resource.get("module", "")
    if mode not in ("managed", "data") or not (isinstance(type_, str) and isinstance(name, str)
                                               and isinstance(module, str)):
        raise StateError(source_uri, f"resources[{number}]: mode must be managed or data, type, name and "
                                     "module strings")
    if not isinstance(instances, list):
        raise _instance_error(source_uri, number, type_, name, "instances is not a list of objects")
    mapped = TERRAFORM_TYPES.get(type_) if mode == "managed" else None
    # Terraform's resource instance address: module.m.data.aws_x.n["key"] or aws_x.n[0].
    prefix = f"{type_}.{name}" if mode == "managed" else f"data.{type_}.{name}"
    prefix = f"{module}.{prefix}" if module else prefix
    provider = str(resource.get("provider", ""))
    for instance in instances:
        if type(instance) is not dict:  # decoded JSON: exactly dict, never a subclass
            raise _instance_error(source_uri, number, type_, name, "instances is not a list of objects")
        index_key = instance.get("index_key")
        if index_key is None:
            address = prefix
        elif type(index_key) is str and index_key.isprintable() and '"' not in index_key and "\\" not in index_key:
            address = f'{prefix}["{index_key}"]'  # a for_each key with nothing to escape, as JSON would quote it
        elif type(index_key) is int or type(index_key) is str:  # not bool, an int subclass
            address = f"{prefix}[{orjson.dumps(index_key).decode()}]"  # quoted as Terraform does, Unicode kept
        else:
            raise _instance_error(source_uri, number, type_, name, "index_key must be a number or a string")
        attributes = instance.get("attributes") or {}
        if type(attributes) is not dict:
            raise _instance_error(source_uri, number, type_, name, "attributes is not an object")
        if mapped is None:
            rows.append(DeclaredResource(address, module, mode, type_, name, index_key, provider, None, None, {}))
            continue
        # Only the comparable attributes of mapped types are kept, so only they need scrubbing.
        comparable = {key: attributes[key] for key in mapped.comparable if key in attributes}
        resource_id = attributes.get(mapped.id_attribute)
        account, region = _placement(attributes)  # named, not unpacked into the call: the slower call path
        rows.append(DeclaredResource(
            address, module, mode, type_, name, index_key, provider, mapped.inventory_type,
            resource_id if type(resource_id) is str and resource_id else None,
            canonical_attributes(scrub(comparable, instance.get("sensitive_attributes") or [])), account, region,
        ))


def _instance_error(source_uri: str, number: int, type_: str, name: str, what: str) -> StateError:
    return StateError(source_uri, f"resources[{number}] ({type_}.{name}): {what}")


def _placement(attributes: dict[str, Any]) -> tuple[str | None, str | None]:
    """Account and region of a declared resource: arn:aws:<service>:<region>:<account>:..., else the
    ``region`` attribute; IAM (an ARN without region) is "global", as in the inventory."""
    arn = attributes.get("arn")
    parts = arn.split(":", 5) if type(arn) is str else ()
    if len(parts) == 6:
        account, region = parts[4] or None, parts[3] or ("global" if parts[2] == "iam" else None)
    else:
        account = region = None
    if region is None:
        region = attributes.get("region")
        region = region if type(region) is str and region else None
    return account, region


def scrub(attributes: dict[str, Any], sensitive_paths: list[Any]) -> dict[str, Any]:
    """``attributes`` with the sensitive paths and secret-named attributes replaced by REDACTED, in place (a
    state's decoded attributes belong to its parsing alone: copying them cost as much as the scrub).

    A path this function cannot follow redacts the whole top-level attribute it starts at, and one it cannot
    read at all redacts every attribute: an unreadable mark of sensitivity must not let a secret through.
    """
    _redact_secret_names(attributes)
    for path in sensitive_paths:
        steps = _steps(path)
        if steps is None:
            return dict.fromkeys(attributes, REDACTED)
        _redact_path(attributes, steps)
    return attributes


def _steps(path: Any) -> list[str | int] | None:
    """[{"type": "get_attr", "value": "a"}, {"type": "index", "value": {"value": 0, "type": "number"}}] -> ["a", 0]."""
    if not isinstance(path, list) or not path:
        return None
    steps = []
    for step in path:
        value = step.get("value") if isinstance(step, dict) else None
        if isinstance(value, dict):
            value = value.get("value")
        if not isinstance(value, str | int) or isinstance(value, bool):
            return None
        steps.append(value)
    return steps if isinstance(steps[0], str) else None


def _redact_path(container: Any, steps: list[str | int]) -> None:
    key, rest = steps[0], steps[1:]
    if isinstance(container, dict) and key in container or (
        isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container)
    ):
        child = container[key]
        if rest and isinstance(child, dict | list) and _can_follow(child, rest[0]):
            _redact_path(child, rest)
        elif child is not None:
            container[key] = REDACTED


def _can_follow(child: dict | list, key: str | int) -> bool:
    return key in child if isinstance(child, dict) else isinstance(key, int) and 0 <= key < len(child)


def _redact_secret_names(value: dict | list) -> None:
    if type(value) is dict:
        for key, item in value.items():  # replacing values while iterating is safe: the keys stay
            if key not in _NOT_SECRET_NAMES and _is_secret_name(key) and item not in (None, "", [], {}):
                value[key] = REDACTED
            elif type(item) in CONTAINERS:
                _redact_secret_names(item)
    else:
        for item in value:
            if type(item) in CONTAINERS:
                _redact_secret_names(item)


def _is_secret_name(key: str) -> bool:
    """Whether the name says secret; a name that does not is remembered (up to a bound) in ``_NOT_SECRET_NAMES``:
    names repeat across every instance of a state, and a set test per key is a third of the time of a cached
    call."""
    if SECRET_NAME.search(key) is not None:
        return True
    if len(_NOT_SECRET_NAMES) < NAMES_REMEMBERED:
        _NOT_SECRET_NAMES.add(key)
    return False
