# METADATA
# title: EC2 instance root volume is not encrypted
# description: >-
#   The root volume holds the operating system, its logs and often application data and keys;
#   unencrypted, it is readable from any snapshot or copy of it.
# custom:
#   id: CF-AWS-EC2-017
#   severity: high
#   category: security
#   resource_types: [ec2_instance]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.3"]
#   remediation: >-
#     Launch from an encrypted AMI or with root_block_device { encrypted = true }; enable EBS
#     encryption by default in every region. An existing root volume is replaced through an encrypted
#     snapshot copy.
#   examples:
#     good:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d], root_volume_encrypted: true,
#         detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d], root_volume_encrypted: false,
#         detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.root_volume_encryption

import data.lib.ec2
import rego.v1

deny contains result if {
	some key, instance in input.resources.ec2_instance
	not instance.state in ec2.gone_states
	instance.root_volume_encrypted == false
	result := {"resource": key, "message": "the root volume is not encrypted"}
}
