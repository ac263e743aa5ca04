{#- The models after cost_attribution that derive each row from one or several of its days
    (cost_allocation_parts, cost_forecast, int_cost_anomaly_scores) are incremental by the digest of their inputs:
    every row carries inputs_digest, of its key and of everything its figures are computed from (the versions of
    those days, the bounds it depends on). The pre-hook lists the rows the table should hold with their digests,
    which is cheap, and deletes the rows whose digest is not listed (their inputs changed, or the row is gone); the
    model computes only the listed rows the table lacks. A new day of billing then computes the rows that read it,
    not all history. -#}

{#- The version of each day of cost_attribution: a digest of the version (lines_digest) of every billing slice's
    lines on that day and of the allocation rules its rows were attributed by (rules_id, the same in every row),
    which together determine all of the day's rows. Read through cost_attribution's index of slice days
    (cost_versions), a few probes per slice and day. A relation of charge_day and day_version. -#}
{% macro cost_attribution_day_versions() -%}
    (
        select
            charge_day,
            md5(concat_ws('|',
                (select built.rules_id from {{ ref('cost_attribution') }} as built limit 1),
                string_agg(
                    concat_ws('|', quote_nullable(provider), quote_nullable(billing_account_id),
                        quote_nullable(billing_period), quote_nullable(lines_digest)),
                    ',' order by provider, billing_account_id, billing_period
                )
            )) as day_version
        from {{ cost_versions(ref('cost_attribution'), 'day') }} as slice_days
        group by charge_day
    )
{%- endmacro %}

{#- The rows of a model whose every row is about one day of cost_attribution and depends on that day alone
    (cost_allocation_parts): each day with its version as inputs_digest. A relation. -#}
{% macro cost_attribution_day_inputs() -%}
    (select charge_day, day_version::uuid as inputs_digest from {{ cost_attribution_day_versions() }} as day_versions)
{%- endmacro %}

{#- The digest of the days of day_versions (cost_attribution_day_versions) from first_day to last_day, for an
    aggregate over them grouped by what the range belongs to. -#}
{% macro cost_days_digest(day_versions, first_day, last_day) -%}
    md5(concat_ws('|', {{ first_day }}, {{ last_day }}, string_agg(
        {{ day_versions }}.charge_day || ':' || {{ day_versions }}.day_version, ','
        order by {{ day_versions }}.charge_day
    )))
{%- endmacro %}

{#- is_incremental(), and false in a unit test (where a macro's this is none, and is_incremental() fails). -#}
{% macro cost_is_incremental() -%}
    {{ return(this is not none and is_incremental()) }}
{%- endmacro %}

{#- The temporary table the pre-hook lists the rows in, for the model to read in the same transaction. -#}
{% macro cost_listed_rows() -%}
    {{ adapter.quote(this.identifier ~ '__listed_rows') }}
{%- endmacro %}

{#- Pre-hook: in an incremental build, list rows (a relation of the rows the table should hold, with inputs_digest)
    in a temporary table, then delete the table's rows whose inputs_digest is not listed. The model reads the list
    (cost_rows_to_compute), so it is computed once: listing cost_forecast's rows reads every row of
    cost_attribution. Not exists, an anti-join: with `not in` the planner, misjudging rows as millions, did not hash
    them and compared every row with every row (1.7 s for cost_forecast at 1,000,000 lines). A table an older
    release built without inputs_digest is dropped before the build (pipelines/dbt_upgrade.py), so the build makes
    it in full. -#}
{% macro cost_prepare_inputs(rows) -%}
    {%- if is_incremental() -%}
        create temporary table {{ cost_listed_rows() }} on commit drop as
        select * from {{ rows }} as current_rows;
        delete from {{ this }} as built
        where not exists (
            select from {{ cost_listed_rows() }} as listed where listed.inputs_digest = built.inputs_digest
        )
    {%- endif -%}
{%- endmacro %}

{#- The rows the table should hold (rows, a relation with inputs_digest) that it does not hold yet: all of them in a
    full build; in an incremental one, those of the pre-hook's list (cost_prepare_inputs) the table lacks. A
    relation, for a from clause. -#}
{% macro cost_rows_to_compute(rows) -%}
    {%- if cost_is_incremental() -%}
    (
        select *
        from {{ cost_listed_rows() }} as listed
        where not exists (select from {{ this }} as built where built.inputs_digest = listed.inputs_digest)
    )
    {%- else -%}
    {{ rows }}
    {%- endif -%}
{%- endmacro %}
