# METADATA
# title: EC2 instance family is not allowed in its environment
# description: >-
#   Each environment (the env tag) may list the instance families it allows in
#   data.cloudforge.cost.instance_families, for example burstable t3/t4g only in dev. Environments
#   not listed allow any family.
# custom:
#   id: CF-AWS-EC2-014
#   severity: medium
#   category: cost
#   resource_types: [ec2_instance]
#   frameworks: {}
#   remediation: >-
#     Change the instance type to an allowed family (stop, modify the type, start), or ask the
#     platform team to allow the family for the environment.
#   examples:
#     data: {cost: {instance_families: {prod: [m6i, c6i]}}}
#     good:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: m6i.large, instance_family: m6i, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
#     bad:
#       ec2_instance: {id: i-0a1b2c3d, instance_type: r5.large, instance_family: r5, state: running,
#         launched_at: '2025-01-10T08:00:00Z', has_public_ip: false, imdsv2_required: true,
#         volume_ids: [vol-0a1b2c3d],
#         root_volume_encrypted: true, detailed_monitoring: true, has_instance_profile: true,
#         tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.ec2.instance_family

import data.lib.ec2
import rego.v1

# env -> allowed families (config); bound once here, as every data lookup inside the loop costs
families := data.cloudforge.cost.instance_families

deny contains result if {
	some key, instance in input.resources.ec2_instance
	env := instance.tags.env
	allowed := families[env]
	family := instance.instance_family
	is_string(family)
	not family in allowed
	not instance.state in ec2.gone_states
	result := {"resource": key, "message": sprintf(
		"instance family %s is not allowed in env %s (allowed: %s)",
		[family, env, concat(", ", allowed)],
	)}
}
