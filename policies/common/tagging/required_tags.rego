# METADATA
# title: Resource is missing required tags
# description: >-
#   Cost allocation, ownership and incident routing depend on the tags listed in
#   data.cloudforge.tagging.required (from config: tags.required). An empty value counts as missing (the normalised tags leave it out).
# custom:
#   id: CF-COMMON-TAG-001
#   severity: medium
#   category: tagging
#   resource_types: [ec2_instance, ebs_volume, ebs_snapshot, elastic_ip, security_group, vpc, subnet, s3_bucket, rds_instance, iam_user, iam_role, lambda_function, load_balancer, kms_key, iam_policy]
#   frameworks: {}
#   remediation: >-
#     Add the missing tags (Terraform: tags, or default_tags in the provider block so every resource
#     gets them); enforce them with a tag policy in AWS Organizations.
#   examples:
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
#         tags: {team: data, env: prod}}
package common.tagging.required_tags

import data.lib.tagging
import rego.v1

deny contains result if {
	some docs in input.resources
	some key, doc in docs
	missing := tagging.required - object.keys(doc.tags)
	count(missing) > 0
	not key in tagging.exempt
	result := {"resource": key, "message": sprintf("missing required tags: %s", [concat(", ", missing)])}
}
