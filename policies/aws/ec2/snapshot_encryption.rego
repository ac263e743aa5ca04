# METADATA
# title: EBS snapshot is not encrypted
# description: >-
#   Snapshots outlive their volumes and are easy to share or copy; an unencrypted snapshot exposes
#   the whole disk to anyone it reaches.
# custom:
#   id: CF-AWS-EC2-009
#   severity: medium
#   category: security
#   resource_types: [ebs_snapshot]
#   frameworks: {}
#   remediation: >-
#     Copy the snapshot with encryption enabled (aws ec2 copy-snapshot --encrypted), then delete the
#     unencrypted original.
package aws.ec2.snapshot_encryption

import rego.v1

deny contains result if {
	some key, snapshot in input.resources.ebs_snapshot
	snapshot.encrypted == false
	result := {"resource": key, "message": "snapshot is not encrypted"}
}
