# METADATA
# title: S3 bucket does not block public access
# description: >-
#   All four S3 Block Public Access settings should be on for every bucket, so that no ACL or
#   bucket policy can make its objects public by mistake.
# custom:
#   id: CF-AWS-S3-001
#   severity: high
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.1.4"]
#     cis-aws-foundations-v5.0: ["2.1.4"]
#     aws-foundational-security-best-practices: ["S3.8"]
#   remediation: >-
#     Turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets
#     (Terraform: aws_s3_bucket_public_access_block with all four set to true). Serve public content
#     through CloudFront with origin access control instead.
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
#         ignore_public_acls: true, block_public_policy: false, restrict_public_buckets: false},
#         access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.public_access_block

import rego.v1

settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	off := [setting | some setting in settings; object.get(bucket.public_access_block, setting, false) != true]
	count(off) > 0
	result := {"resource": key, "message": sprintf("public access block settings off: %s", [concat(", ", off)])}
}
