# METADATA
# title: Expired SSL/TLS certificate stored in IAM
# description: >-
#   An expired server certificate in IAM serves no purpose and can be deployed to a load balancer or
#   CloudFront by mistake, breaking TLS for its clients.
# custom:
#   id: CF-AWS-IAM-016
#   severity: medium
#   category: security
#   resource_types: [iam_server_certificate]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.19"]
#     cis-aws-foundations-v5.0: ["1.18"]
#     aws-foundational-security-best-practices: ["IAM.26"]
#   remediation: >-
#     Delete the certificate (aws iam delete-server-certificate --server-certificate-name NAME) after
#     making sure nothing uses it; prefer AWS Certificate Manager, which renews certificates.
#   examples:
#     now: '2025-06-01T00:00:00Z'
#     good:
#       iam_server_certificate: {name: web, arn: 'arn:aws:iam::123456789012:server-certificate/web',
#         expires_at: '2026-01-01T00:00:00Z'}
#     bad:
#       iam_server_certificate: {name: web, arn: 'arn:aws:iam::123456789012:server-certificate/web',
#         expires_at: '2025-01-01T00:00:00Z'}
package aws.iam.expired_server_certificate

import rego.v1

deny contains result if {
	some key, certificate in input.resources.iam_server_certificate
	is_string(certificate.expires_at)
	time.parse_rfc3339_ns(certificate.expires_at) <= time.parse_rfc3339_ns(input.now)
	result := {"resource": key, "message": sprintf("expired on %s", [substring(certificate.expires_at, 0, 10)])}
}
