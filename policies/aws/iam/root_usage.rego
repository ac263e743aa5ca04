# METADATA
# title: The root user was used in the last day
# description: >-
#   Everyday work as the root user bypasses every IAM permission boundary and leaves no individual
#   accountable. Judged from the credential report's root row (the latest use of its password or access
#   keys), within one day as Prowler's iam_avoid_root_usage does. A report without the root row
#   (<root_account>) is a finding too: the root user's use cannot be checked, and is never passed silently.
# custom:
#   id: CF-AWS-IAM-011
#   severity: high
#   category: security
#   resource_types: [iam_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.7"]
#     cis-aws-foundations-v5.0: ["1.6"]
#   remediation: >-
#     Do administrative work as IAM users or roles (or IAM Identity Center); keep the root user for the
#     few tasks only it can do, and find out who signed in as root from CloudTrail.
#   examples:
#     now: '2025-06-01T00:00:00Z'
#     good:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
#     bad:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-05-31T12:00:00Z', support_roles: [support]}
package aws.iam.root_usage

import data.lib.dates
import rego.v1

max_days := 1

deny contains result if {
	some key, account in input.resources.iam_account
	days := dates.days_since(account.root_last_used_at)
	days <= max_days
	result := {"resource": key, "message": sprintf("the root user was used %d days ago", [days])}
}

deny contains result if {
	some key, account in input.resources.iam_account
	account.root_credentials_reported == false
	result := {"resource": key, "message": "the credential report has no root user row: its use cannot be checked"}
}
