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
package aws.kms.pending_deletion

import rego.v1

pending_states := {"PendingDeletion", "PendingReplicaDeletion"}

deny contains result if {
	some key, kms_key in input.resources.kms_key
	kms_key.manager == "CUSTOMER"
	kms_key.state in pending_states
	result := {"resource": key, "message": "key is scheduled for deletion"}
}
