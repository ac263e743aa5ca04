# METADATA
# title: Lambda function uses a deprecated runtime
# description: >-
#   After its deprecation date a runtime gets no security patches and AWS blocks creating, then
#   updating, functions that use it. Dates are AWS's published deprecation dates, compared with
#   input.now.
# custom:
#   id: CF-AWS-LAMBDA-001
#   severity: medium
#   category: security
#   resource_types: [lambda_function]
#   frameworks:
#     aws-foundational-security-best-practices: ["Lambda.2"]
#   remediation: >-
#     Move the function to a supported runtime of the same language and redeploy it.
#   examples:
#     now: '2025-06-01T00:00:00Z'
#     good:
#       lambda_function: {name: ingest, arn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest',
#         runtime: python3.12, package_type: Zip, tags: {team: data, project: lake,
#         env: prod, owner: alice}}
#     bad:
#       lambda_function: {name: ingest, arn: 'arn:aws:lambda:eu-west-1:123456789012:function:ingest',
#         runtime: python3.8, package_type: Zip, tags: {team: data, project: lake,
#         env: prod, owner: alice}}
package aws.lambda.deprecated_runtime

import data.lib.dates
import rego.v1

deprecated_on := {
	"python2.7": "2021-07-15",
	"python3.6": "2022-07-18",
	"python3.7": "2023-12-04",
	"python3.8": "2024-10-14",
	"python3.9": "2025-12-15",
	"nodejs10.x": "2021-07-30",
	"nodejs12.x": "2023-03-31",
	"nodejs14.x": "2023-12-04",
	"nodejs16.x": "2024-06-12",
	"nodejs18.x": "2025-09-01",
	"dotnetcore3.1": "2023-04-03",
	"dotnet6": "2024-12-20",
	"dotnet7": "2024-05-14",
	"go1.x": "2024-01-08",
	"java8": "2024-01-08",
	"provided": "2024-01-08",
	"ruby2.7": "2023-12-07",
	"ruby3.2": "2026-03-31",
}

deny contains result if {
	some key, function in input.resources.lambda_function
	date := deprecated_on[function.runtime]
	dates.days_since(sprintf("%sT00:00:00Z", [date])) >= 0
	result := {"resource": key, "message": sprintf("runtime %s was deprecated on %s", [function.runtime, date])}
}
