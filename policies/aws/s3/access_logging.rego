# METADATA
# title: S3 bucket has no server access logging
# description: >-
#   Server access logs record every request to the bucket (who, what, from where), the record an
#   investigation of a leak needs.
# custom:
#   id: CF-AWS-S3-005
#   severity: low
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     aws-foundational-security-best-practices: ["S3.9"]
#   remediation: >-
#     Enable server access logging to a separate log bucket (Terraform: aws_s3_bucket_logging).
#   examples:
#     good:
#       s3_bucket: {name: acme-logs, region: eu-west-1, created_at: '2025-01-10T08:00:00Z',
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: true, tls_required: true, public_acl: false,
#         public_policy: false, tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       s3_bucket: {name: acme-logs, region: eu-west-1, created_at: '2025-01-10T08:00:00Z',
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: false, tls_required: true, public_acl: false,
#         public_policy: false, tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.access_logging

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	bucket.access_logging_enabled == false
	result := {"resource": key, "message": "server access logging is off"}
}
