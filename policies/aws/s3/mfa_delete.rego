# METADATA
# title: S3 bucket MFA Delete is not enabled
# description: >-
#   With MFA Delete, changing the versioning state or permanently deleting an object version needs
#   the root user's MFA code, so stolen credentials alone cannot destroy the history.
# custom:
#   id: CF-AWS-S3-004
#   severity: low
#   category: security
#   resource_types: [s3_bucket]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.1.2"]
#     cis-aws-foundations-v5.0: ["2.1.2"]
#     aws-foundational-security-best-practices: ["S3.20"]
#   remediation: >-
#     As the root user with MFA, enable it: aws s3api put-bucket-versioning --bucket NAME
#     --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "SERIAL CODE"
#     (Terraform: aws_s3_bucket_versioning with mfa_delete "Enabled" and mfa).
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
#         mfa_delete_enabled: false, public_access_block: {block_public_acls: true,
#         ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true},
#         access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.s3.mfa_delete

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	bucket.mfa_delete_enabled == false
	result := {"resource": key, "message": "MFA Delete is not enabled"}
}
