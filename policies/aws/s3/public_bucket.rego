# METADATA
# title: S3 bucket is public through its ACL or bucket policy
# description: >-
#   An ACL grant to AllUsers or AuthenticatedUsers, or a policy statement allowing Principal *
#   without a condition, opens the bucket to anyone, unless the bucket's public access block ignores
#   public ACLs or restricts public policies.
# custom:
#   id: CF-AWS-S3-007
#   severity: critical
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     aws-foundational-security-best-practices: ["S3.2", "S3.3"]
#   remediation: >-
#     Remove the public grant or statement and turn on the bucket's public access block
#     (Terraform: aws_s3_bucket_acl with acl = private, aws_s3_bucket_public_access_block).
#   examples:
#     good:
#       s3_bucket: {name: acme-logs, region: eu-west-1, created_at: '2025-01-10T08:00:00Z',
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: false,
#         ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false},
#         access_logging_enabled: true, tls_required: true, public_acl: false,
#         public_policy: false, tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       s3_bucket: {name: acme-logs, region: eu-west-1, created_at: '2025-01-10T08:00:00Z',
#         encryption_algorithm: 'aws:kms', kms_key_id: alias/logs, versioning_enabled: true,
#         mfa_delete_enabled: true, public_access_block: {block_public_acls: false,
#         ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false},
#         access_logging_enabled: true, tls_required: true, public_acl: true,
#         public_policy: false, tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.public_bucket

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	reasons := array.concat(public_acl(bucket), public_policy(bucket))
	count(reasons) > 0
	result := {"resource": key, "message": concat("; ", reasons)}
}

public_acl(bucket) := ["the ACL grants access to everyone"] if {
	bucket.public_acl == true
	bucket.public_access_block.ignore_public_acls == false
} else := []

public_policy(bucket) := ["the bucket policy allows everyone"] if {
	bucket.public_policy == true
	bucket.public_access_block.restrict_public_buckets == false
} else := []
