# METADATA
# title: KMS key is scheduled for deletion
# description: >-
#   Once a key is deleted, everything encrypted under it is unrecoverable; a scheduled deletion
#   should be a deliberate decision, checked before the waiting period ends.
# custom:
#   id: CF-AWS-KMS-002
#   severity: high
#   category: security
#   resource_types: [kms_key]
#   frameworks:
#     aws-foundational-security-best-practices: ["KMS.3"]
#   remediation: >-
#     Check that nothing still uses the key (CloudTrail Decrypt events); if anything does, cancel the
#     deletion (aws kms cancel-key-deletion --key-id ID).
#   examples:
#     good:
#       kms_key: {id: 1234abcd-12ab-34cd-56ef-1234567890ab, arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
#         manager: CUSTOMER, state: Enabled, spec: SYMMETRIC_DEFAULT, rotation_enabled: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       kms_key: {id: 1234abcd-12ab-34cd-56ef-1234567890ab, arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
#         manager: CUSTOMER, state: PendingDeletion, spec: SYMMETRIC_DEFAULT,
#         rotation_enabled: true, tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.kms.pending_deletion

import rego.v1

pending_states := {"PendingDeletion", "PendingReplicaDeletion"}

deny contains result if {
	some key, kms_key in input.resources.kms_key
	kms_key.manager == "CUSTOMER"
	kms_key.state in pending_states
	result := {"resource": key, "message": "key is scheduled for deletion"}
}
