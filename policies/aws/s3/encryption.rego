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
package aws.s3.encryption

import rego.v1

deny contains result if {
	some key, bucket in input.resources.s3_bucket
	bucket.encryption_algorithm == null
	result := {"resource": key, "message": "no default server-side encryption configured"}
}
