{#- SQL building blocks of the cost models. -#}

{#- A deterministic key over columns that may be null: md5 of the columns as quoted literals, so null, ''
    and a value containing the separator all stay distinct. -#}
{% macro cost_key(columns) -%}
    md5(concat_ws('|'
        {%- for column in columns %}, quote_nullable({{ column }}){% endfor -%}
    ))
{%- endmacro %}

{#- The exact median of a numeric aggregate (percentile_cont works in double precision). -#}
{% macro cost_median(expression) -%}
    (
        (array_agg({{ expression }} order by {{ expression }}))[((count(*) + 1) / 2)::int]
        + (array_agg({{ expression }} order by {{ expression }}))[((count(*) + 2) / 2)::int]
    ) / 2
{%- endmacro %}

{#- amount rounded to cents so that, within each partition, the rounded amounts add up to target (a total
    already rounded to cents) exactly: every amount is rounded down, then the cents left over go one each to
    the largest fractions of a cent, ties broken by tie_breakers (largest remainder method). -#}
{% macro cost_round_to_cents(amount, target, partition_by, tie_breakers) -%}
    ((
        floor({{ amount }} * 100)
        + case
            when row_number() over (
                partition by {{ partition_by }}
                order by {{ amount }} * 100 - floor({{ amount }} * 100) desc, {{ tie_breakers }}
            ) <= {{ target }} * 100 - sum(floor({{ amount }} * 100)) over (partition by {{ partition_by }})
            then 1
            else 0
        end
    ) / 100)::numeric(18, 2)
{%- endmacro %}

{#- The (slice, load) pairs of a relation of billing lines or of cost_daily: each billing slice (provider, billing
    account, billing period) it holds and the load its rows come from (a slice is replaced whole, by one load).
    A loose index scan: each slice is found by one probe of the relation's index on the slice key, and its load
    by another, so the cost is a few probes per slice however many lines there are. -#}
{% macro cost_slice_loads(relation) -%}
    (
        with recursive slices as (
            (
                select provider, billing_account_id, billing_period
                from {{ relation }}
                order by provider, billing_account_id, billing_period
                limit 1
            )
            union all
            select next_slice.*
            from slices
            cross join lateral (
                select lines.provider, lines.billing_account_id, lines.billing_period
                from {{ relation }} as lines
                where (lines.provider, lines.billing_account_id, lines.billing_period)
                    > (slices.provider, slices.billing_account_id, slices.billing_period)
                order by lines.provider, lines.billing_account_id, lines.billing_period
                limit 1
            ) as next_slice
        )
        select
            slices.provider,
            slices.billing_account_id,
            slices.billing_period,
            (
                select lines.load_id
                from {{ relation }} as lines
                where lines.provider = slices.provider
                    and lines.billing_account_id = slices.billing_account_id
                    and lines.billing_period = slices.billing_period
                limit 1
            ) as load_id
        from slices
    )
{%- endmacro %}

{#- The rows of relation (billing lines, or cost_daily) that a cost model incremental by billing slice builds: in a
    full build all of them; in an incremental one the rows of the slices whose current load is not in the model yet
    (new, or reloaded: providers restate the open month every day), slice by slice, so each slice's rows are read
    through the slice index, not by scanning every row (offset 0 keeps the planner from turning this into a join
    over all rows). A relation, for a from clause. -#}
{% macro cost_slices_to_build(relation) -%}
    {%- if is_incremental() -%}
    (
        with changed_slices as materialized (
            select * from {{ cost_slice_loads(relation) }} as loaded
            except
            select * from {{ cost_slice_loads(this) }} as built
        )
        select rows_of_slice.*
        from changed_slices
        cross join lateral (
            select *
            from {{ relation }} as slice_rows
            where slice_rows.provider = changed_slices.provider
                and slice_rows.billing_account_id = changed_slices.billing_account_id
                and slice_rows.billing_period = changed_slices.billing_period
                and slice_rows.load_id = changed_slices.load_id
            offset 0
        ) as rows_of_slice
    )
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a cost model incremental by billing slice (it runs in the model's transaction). First the rows of
    slices whose load is no longer the current one in source_relation go (the slice was deleted, or reloaded: the
    model then inserts the new load's rows). With rules_id (an expression), every row goes when the table was built
    with other rules (a configuration the model's rows depend on): the next build rebuilds every slice. Then nested
    loops are turned off for the rest of the transaction, but for the index probes that have no other way: the
    planner cannot estimate how many rows the changed slices hold (it multiplies the slice columns' selectivities
    to about one row), and with one row it joins the tag sets to every line by nested loop, for hours. The deletes
    come first because they need the planner's other choice: without nested loops it hashed every row of the
    table to find the few stale slices (4.4 s at 1,000,000 rows, against 0.6 s). -#}
{% macro cost_prepare_incremental(source_relation, rules_id=none) -%}
    {%- if is_incremental() -%}
        {% if rules_id is not none -%}
        delete from {{ this }}
        where (select built.rules_id from {{ this }} as built limit 1) is distinct from {{ rules_id }};
        {% endif -%}
        delete from {{ this }}
        where (provider, billing_account_id, billing_period, load_id) in (
            select * from {{ cost_slice_loads(this) }} as built
            except
            select * from {{ cost_slice_loads(source_relation) }} as loaded
        );
        set local enable_nestloop = off
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the cost models that group many rows by text columns (it runs in the model's transaction): with
    PostgreSQL's default 4 MB of work memory they sort on disk with locale-aware comparisons, which takes longer
    than the rest of the model; with 64 MB the groups are hashed in memory. -#}
{% macro cost_work_mem() -%}
    set local work_mem = '64MB'
{%- endmacro %}
