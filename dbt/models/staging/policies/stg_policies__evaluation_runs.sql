select
    run_id as evaluation_run_id,
    evaluated_at,
    policies as policy_count,
    resources as resource_count,
    evaluations as evaluation_count,
    mapping_errors as mapping_error_count,
    open_findings as open_finding_count,
    waived_findings as waived_finding_count,
    new_findings as new_finding_count,
    resolved_findings as resolved_finding_count,
    duration_seconds
from {{ source('policies', 'evaluation_runs') }}
