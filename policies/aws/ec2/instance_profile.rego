# METADATA
# title: EC2 instance has no IAM instance profile
# description: >-
#   Without an instance role, software on the instance that calls AWS needs long-lived access
#   keys stored on it; a role gives it temporary credentials that rotate on their own.
# custom:
#   id: CF-AWS-EC2-019
#   severity: medium
#   category: security
#   resource_types: [ec2_instance]
#   frameworks:
#     cis-aws-foundations-v5.0: ["1.17"]
#   remediation: >-
#     Attach an instance profile with a least-privilege role (aws ec2
#     associate-iam-instance-profile; Terraform: iam_instance_profile).
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
#         volume_ids: [vol-0a1b2c3d], root_volume_encrypted: true,
#         detailed_monitoring: true, has_instance_profile: false,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.instance_profile

import data.lib.ec2
import rego.v1

deny contains result if {
	some key, instance in input.resources.ec2_instance
	not instance.state in ec2.gone_states
	instance.has_instance_profile == false
	result := {"resource": key, "message": "no IAM instance profile is attached"}
}
