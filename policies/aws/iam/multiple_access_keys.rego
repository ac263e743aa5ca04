# METADATA
# title: IAM user has more than one active access key
# description: >-
#   Two active keys are only needed during a rotation; a second key left active doubles what can
#   leak and hides which one is really in use.
# custom:
#   id: CF-AWS-IAM-004
#   severity: low
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.13"]
#   remediation: >-
#     Finish the rotation: deactivate, then delete, the key that is no longer used.
package aws.iam.multiple_access_keys

import rego.v1

deny contains result if {
	some key, user in input.resources.iam_user
	active := [k | some k in user.access_keys; k.active == true]
	count(active) > 1
	result := {"resource": key, "message": sprintf("%d active access keys", [count(active)])}
}
