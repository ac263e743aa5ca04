# METADATA
# title: KMS key rotation is disabled
# description: >-
#   Automatic rotation gives a customer managed symmetric key new key material every year while
#   keeping old material for decryption, limiting what one compromised version exposes.
# custom:
#   id: CF-AWS-KMS-001
#   severity: medium
#   category: security
#   resource_types: [kms_key]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.6"]
#     aws-foundational-security-best-practices: ["KMS.4"]
#   remediation: >-
#     Enable rotation (aws kms enable-key-rotation --key-id ID; Terraform: enable_key_rotation = true).
#   examples:
#     good:
#       kms_key: {id: 1234abcd-12ab-34cd-56ef-1234567890ab, arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
#         manager: CUSTOMER, state: Enabled, spec: SYMMETRIC_DEFAULT, rotation_enabled: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       kms_key: {id: 1234abcd-12ab-34cd-56ef-1234567890ab, arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
#         manager: CUSTOMER, state: Enabled, spec: SYMMETRIC_DEFAULT, rotation_enabled: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.kms.rotation

import rego.v1

deny contains result if {
	some key, kms_key in input.resources.kms_key
	kms_key.manager == "CUSTOMER"
	kms_key.spec == "SYMMETRIC_DEFAULT"
	kms_key.state == "Enabled"
	kms_key.rotation_enabled == false
	result := {"resource": key, "message": "automatic key rotation is disabled"}
}
