# METADATA
# title: S3 bucket policy does not deny plain HTTP
# description: >-
#   Unless its policy denies requests with aws:SecureTransport false, a bucket answers over plain
#   HTTP, where data and signed requests travel readable.
# custom:
#   id: CF-AWS-S3-006
#   severity: medium
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.1.1"]
#     cis-aws-foundations-v5.0: ["2.1.1"]
#     aws-foundational-security-best-practices: ["S3.5"]
#   remediation: >-
#     Add a Deny statement for s3:* on the bucket and its objects with condition
#     Bool aws:SecureTransport = false (Terraform: aws_s3_bucket_policy).
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
#         access_logging_enabled: true, tls_required: false, public_acl: false,
#         public_policy: false, tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.tls_only

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	bucket.tls_required == false
	result := {"resource": key, "message": "the bucket policy does not deny requests without TLS"}
}
