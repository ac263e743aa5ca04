# METADATA
# title: EBS volume uses gp2 instead of gp3
# description: >-
#   gp3 costs about 20% less per GiB than gp2 and gives a 3,000 IOPS baseline whatever the size;
#   the change is online.
# custom:
#   id: CF-AWS-EC2-016
#   severity: low
#   category: cost
#   resource_types: [ebs_volume]
#   frameworks: {}
#   remediation: >-
#     Modify the volume type to gp3 (aws ec2 modify-volume --volume-type gp3; Terraform: type = "gp3"),
#     no detach needed.
#   examples:
#     good:
#       ebs_volume: {id: vol-0a1b2c3d, size_gb: 100, volume_type: gp3, encrypted: true,
#         state: in-use, created_at: '2025-01-10T08:00:00Z', tags: {team: data,
#         project: lake, env: prod, owner: alice}}
#     bad:
#       ebs_volume: {id: vol-0a1b2c3d, size_gb: 100, volume_type: gp2, encrypted: true,
#         state: in-use, created_at: '2025-01-10T08:00:00Z', tags: {team: data,
#         project: lake, env: prod, owner: alice}}
package aws.ec2.gp2_volume

import rego.v1

deny contains result if {
	some key, volume in input.resources.ebs_volume
	volume.volume_type == "gp2"
	result := {"resource": key, "message": sprintf("%v GiB gp2 volume: gp3 costs about 20%% less", [volume.size_gb])}
}
