# METADATA
# title: EC2 instance uses an older instance generation
# description: >-
#   Older generations (t2, m4, c4, r4 and earlier) cost more than their successors for the same or
#   less capacity.
# custom:
#   id: CF-AWS-EC2-015
#   severity: low
#   category: cost
#   resource_types: [ec2_instance]
#   frameworks: {}
#   remediation: >-
#     Move to the successor family named in the finding (stop, change the instance type, start).
#   examples:
#     good:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
#     bad:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m4.large, instance_family: m4, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.ec2.previous_generation

import data.lib.ec2
import rego.v1

successors := {
	"t1": "t3", "t2": "t3", "m1": "m6i", "m2": "r6i", "m3": "m6i", "m4": "m6i",
	"c1": "c6i", "c3": "c6i", "c4": "c6i", "r3": "r6i", "r4": "r6i", "i2": "i4i",
	"d2": "d3", "g2": "g4dn", "g3": "g4dn", "p2": "p3",
}

deny contains result if {
	some key, instance in input.resources.ec2_instance
	successor := successors[instance.instance_family]
	not instance.state in ec2.gone_states
	result := {"resource": key, "message": sprintf("%s is an older generation; %s costs less for the same capacity", [instance.instance_type, successor])}
}
