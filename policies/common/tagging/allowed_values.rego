# METADATA
# title: Resource tag has a value outside the allowed list
# description: >-
#   Tags are only useful for grouping when their values are consistent ("prod", not "Prod" or
#   "production"); data.cloudforge.tagging.allowed_values lists the values allowed per tag key.
# custom:
#   id: CF-COMMON-TAG-002
#   severity: low
#   category: tagging
#   resource_types: [ec2_instance, ebs_volume, ebs_snapshot, elastic_ip, security_group, vpc, subnet, s3_bucket, rds_instance, iam_user, iam_role, lambda_function, load_balancer, kms_key, iam_policy]
#   frameworks: {}
#   remediation: >-
#     Change the tag to one of the allowed values, or ask the platform team to allow the new value.
#   examples:
#     data: {tagging: {allowed_values: {env: [prod, staging, dev]}}}
#     good:
#       s3_bucket: {name: acme-logs, region: eu-west-1, created_at: '2025-01-10T08:00:00Z',
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       s3_bucket: {name: acme-logs, region: eu-west-1, created_at: '2025-01-10T08:00:00Z',
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false,
#         tags: {team: data, project: lake, env: production, owner: alice}}
package common.tagging.allowed_values

import data.lib.tagging
import rego.v1

# tag key -> the values allowed for it (config), as a list for messages and as a set
allowed_lists := data.cloudforge.tagging.allowed_values

allowed := {tag: {value | some value in values} | some tag, values in allowed_lists}

deny contains result if {
	some docs in input.resources
	some key, doc in docs
	some tag, values in allowed
	value := doc.tags[tag]
	not value in values
	not key in tagging.exempt
	result := {"resource": key, "message": sprintf("tag %s=%s is not allowed (allowed: %s)", [tag, value, concat(", ", allowed_lists[tag])])}
}
