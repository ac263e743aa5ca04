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
#   examples:
#     good:
#       ebs_snapshot: {id: snap-0a1b2c3d, volume_id: vol-0a1b2c3d, size_gb: 100, encrypted: true,
#         created_at: '2025-03-01T00:00:00Z', tags: {team: data, project: lake,
#         env: prod, owner: alice}}
#     bad:
#       ebs_snapshot: {id: snap-0a1b2c3d, volume_id: vol-0a1b2c3d, size_gb: 100, encrypted: false,
#         created_at: '2025-03-01T00:00:00Z', tags: {team: data, project: lake,
#         env: prod, owner: alice}}
package aws.ec2.snapshot_encryption

import rego.v1

deny contains result if {
	some key, snapshot in input.resources.ebs_snapshot
	snapshot.encrypted == false
	result := {"resource": key, "message": "snapshot is not encrypted"}
}
