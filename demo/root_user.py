"""The root user's state that no IAM API sets. AWS derives the account summary's AccountMFAEnabled and
AccountAccessKeysPresent from the root user, whom only the console manages; moto keeps both at 0. Like
``demo.backdating``, this sets them in moto's in-process backend, after which get_account_summary reports
them. (moto's credential report has no ``<root_account>`` row at all, so the root's last use stays unknown.)
"""

from __future__ import annotations


def set_root_user(account_id: str, *, mfa: bool, access_keys: bool) -> None:
    """Give the account's root user an MFA device and access keys, or not, as the summary reports them."""
    from moto.backends import get_backend

    summary = get_backend("iam")[account_id]["global"].account_summary
    summary._account_mfa_enabled = int(mfa)
    summary._account_access_keys_present = int(access_keys)
