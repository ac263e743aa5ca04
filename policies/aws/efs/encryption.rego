# METADATA
# title: EFS file system is not encrypted at rest
# description: >-
#   An unencrypted file system keeps its files readable by anyone who gets at the storage or its
#   backups; encryption at rest can only be chosen when the file system is created.
# custom:
#   id: CF-AWS-EFS-001
#   severity: high
#   category: security
#   resource_types: [efs_file_system]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.4.1"]
#     cis-aws-foundations-v5.0: ["2.3.1"]
#     aws-foundational-security-best-practices: ["EFS.1"]
#   remediation: >-
#     Create an encrypted file system (Terraform: aws_efs_file_system with encrypted = true, and kms_key_id
#     for a customer key), copy the data over with AWS DataSync, and delete the old one.
#   examples:
#     good:
#       efs_file_system: {id: fs-0a1b2c3d, name: shared, encrypted: true, kms_key_id: null,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       efs_file_system: {id: fs-0a1b2c3d, name: shared, encrypted: false, kms_key_id: null,
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.efs.encryption

import rego.v1

deny contains result if {
	some key, file_system in input.resources.efs_file_system
	file_system.encrypted == false
	result := {"resource": key, "message": "the file system is not encrypted at rest"}
}
