# METADATA
# title: S3 bucket has no default encryption
# description: >-
#   A bucket should declare default server-side encryption (SSE-S3, or SSE-KMS for keys you control)
#   so every object is encrypted at rest. In a plan this means the configuration declares it.
# custom:
#   id: CF-AWS-S3-002
#   severity: high
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     cis-aws-foundations-v1.5: ["2.1.1"]
#   remediation: >-
#     Configure default encryption on the bucket (Terraform:
#     aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" or "AES256").
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
#         encryption_algorithm: null, kms_key_id: null, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.encryption

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	bucket.encryption_algorithm == null
	result := {"resource": key, "message": "no default server-side encryption configured"}
}
