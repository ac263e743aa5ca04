# METADATA
# title: AWS Config is not recording every resource type in the region
# description: >-
#   AWS Config's history of configuration changes is what answers "who changed this, and when" after an
#   incident; a region without a running recorder of all resource types has gaps in it.
# custom:
#   id: CF-AWS-CONFIG-001
#   severity: medium
#   category: security
#   resource_types: [config_recorder]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.3"]
#     cis-aws-foundations-v5.0: ["3.3"]
#     aws-foundational-security-best-practices: ["Config.1"]
#   remediation: >-
#     Create a recorder of all supported resource types with a delivery channel and start it in every region
#     (aws configservice put-configuration-recorder ... --recording-group allSupported=true, then
#     start-configuration-recorder; Terraform: aws_config_configuration_recorder and
#     aws_config_configuration_recorder_status with is_enabled = true).
#   examples:
#     good:
#       config_recorder: {exists: true, name: default, recording: true, all_supported: true,
#         include_global_resource_types: true}
#     bad:
#       config_recorder: {exists: true, name: default, recording: false, all_supported: true,
#         include_global_resource_types: true}
package aws.config.recorder

import rego.v1

deny contains result if {
	some key, recorder in input.resources.config_recorder
	problems := [problem |
		some check, problem in checks
		failed(recorder, check)
	]
	count(problems) > 0
	result := {"resource": key, "message": concat("; ", problems)}
}

checks := {
	"absent": "no configuration recorder in the region",
	"stopped": "the recorder is not recording",
	"partial": "the recorder does not record all supported resource types",
}

failed(recorder, "absent") if recorder.exists == false

failed(recorder, "stopped") if recorder.recording == false

failed(recorder, "partial") if recorder.all_supported == false
