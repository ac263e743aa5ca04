# What the tagging policies judge. AWS-owned resources (AWS managed KMS keys, service-linked roles) and
# terminated instances cannot carry your tags, so they are left out.
package lib.tagging

import data.lib.ec2
import rego.v1

# The required tag keys, as a set (from config: tags.required).
required := {tag | some tag in data.cloudforge.tagging.required}

# Keys of the resources that cannot be tagged; a set computed once, cheaper than a check per resource.
exempt contains key if {
	some key, kms_key in input.resources.kms_key
	kms_key.manager == "AWS"
}

exempt contains key if {
	some key, role in input.resources.iam_role
	startswith(role.path, "/aws-service-role/")
}

exempt contains key if {
	some key, instance in input.resources.ec2_instance
	instance.state in ec2.gone_states
}
