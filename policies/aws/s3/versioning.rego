# METADATA
# title: S3 bucket versioning is not enabled
# description: >-
#   Versioning keeps every version of every object, so an overwrite or delete (by mistake or by
#   ransomware) can be undone.
# custom:
#   id: CF-AWS-S3-003
#   severity: medium
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     aws-foundational-security-best-practices: ["S3.14"]
#   remediation: >-
#     Enable versioning (Terraform: aws_s3_bucket_versioning with status "Enabled") and add a lifecycle
#     rule that expires noncurrent versions to bound the cost.
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
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: false,
#         mfa_delete_enabled: false, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.versioning

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	bucket.versioning_enabled == false
	result := {"resource": key, "message": "versioning is not enabled"}
}
