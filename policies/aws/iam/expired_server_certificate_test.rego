package aws.iam.expired_server_certificate_test

import data.aws.iam.expired_server_certificate
import rego.v1

test_denies_expired_certificates_only if {
	expired_server_certificate.deny == {{"resource": "old", "message": "expired on 2025-05-31"}} with input.now as "2025-06-01T00:00:00Z"
		with input.resources.iam_server_certificate as {
			"old": {"expires_at": "2025-05-31T23:59:59Z"},
			"current": {"expires_at": "2025-06-02T00:00:00Z"},
			"planned": {"expires_at": null},
		}
}
