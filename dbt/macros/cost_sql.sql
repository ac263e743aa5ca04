{#- SQL building blocks of the cost models. -#}

{#- A deterministic key over columns that may be null: md5 of the columns as quoted literals, so null, ''
    and a value containing the separator all stay distinct. -#}
{% macro cost_key(columns) -%}
    md5(concat_ws('|'
        {%- for column in columns %}, quote_nullable({{ column }}){% endfor -%}
    ))
{%- endmacro %}

{#- The key of a row about one day: the day's number since 1970-01-01 in the first 8 hex digits, then 24 of the
    md5 of the columns (cost_key), as a uuid. A build that adds a day then writes the end of the key's index, not one
    random page of it per row: with md5 keys cost_daily's insert of a new day at 5,000,000 lines dirtied most of its
    150 MB primary key and took 1.4-1.8 s, against 1.0 s without that index. -#}
{% macro cost_day_key(day, columns) -%}
    (lpad(to_hex({{ day }} - date '1970-01-01'), 8, '0') || right({{ cost_key(columns) }}, 24))::uuid
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

{#- The grains the cost models are incremental by: a billing slice (provider, billing account, billing period),
    which a load replaces whole, and a day of a slice, which a load may leave as it was (providers restate the open
    month every day, and all but its newest day are usually unchanged). -#}
{% macro cost_grain(grain) -%}
    {%- set slice = ['provider', 'billing_account_id', 'billing_period'] -%}
    {%- do return({
        'slice': {'keys': slice, 'version': 'load_id'},
        'day': {'keys': slice + ['charge_day'], 'version': 'lines_digest'},
    }[grain]) -%}
{%- endmacro %}

{#- The versions a relation holds: each distinct value of the grain's keys (a slice, or a day of a slice) with the version of
    its rows (the load of a slice; the digest of a day's lines), the same in all of them. A loose index scan, so the
    relation needs an index on keys and version: each key is found by one probe and its version by another, a few
    probes per slice or day however many rows there are. -#}
{% macro cost_versions(relation, grain) -%}
    {%- set keys, version = cost_grain(grain)['keys'], cost_grain(grain)['version'] -%}
    {%- set key_list = keys | join(', ') -%}
    (
        with recursive found as (
            (
                select {{ key_list }}
                from {{ relation }}
                order by {{ key_list }}
                limit 1
            )
            union all
            select next_key.*
            from found
            cross join lateral (
                select {% for key in keys %}candidate.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
                from {{ relation }} as candidate
                where ({% for key in keys %}candidate.{{ key }}{{ ', ' if not loop.last }}{% endfor %})
                    > ({% for key in keys %}found.{{ key }}{{ ', ' if not loop.last }}{% endfor %})
                order by {% for key in keys %}candidate.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
                limit 1
            ) as next_key
        )
        select
            found.*,
            (
                select candidate.{{ version }}
                from {{ relation }} as candidate
                where {% for key in keys %}candidate.{{ key }} = found.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
                limit 1
            ) as {{ version }}
        from found
    )
{%- endmacro %}

{#- The rows of relation that a cost model incremental by grain ('slice' or 'day') builds: in a full build all of
    them; in an incremental one the rows of the keys whose version in versions (a relation of the grain's keys and
    version) is not in the model yet, key by key, so each key's rows are read through an index, not by scanning every
    row (offset 0 keeps the planner from turning this into a join over all rows). match is the column the rows are
    found by when they do not carry the version themselves (billing lines carry their load, not their day's digest;
    versions then has it too). A relation, for a from clause. -#}
{% macro cost_rows_to_build(relation, versions, grain, match=none) -%}
    {%- set keys, version = cost_grain(grain)['keys'], cost_grain(grain)['version'] -%}
    {%- if is_incremental() -%}
    (
        with changed as materialized (
            select *
            from {{ versions }} as current_versions
            where ({{ keys | join(', ') }}, {{ version }}) not in (
                select * from {{ cost_versions(this, grain) }} as built
            )
        )
        select rows_to_build.*
        from changed
        cross join lateral (
            select *
            from {{ relation }} as candidate
            where {% for key in keys + [match or version] -%}
                candidate.{{ key }} = changed.{{ key }}{{ ' and ' if not loop.last }}
            {%- endfor %}
            offset 0
        ) as rows_to_build
    )
    {%- else -%}
    {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a cost model incremental by grain (it runs in the model's transaction). In an incremental build,
    first the rows whose version is no longer in versions go (the slice or day was deleted, or changed: the model
    then inserts its new rows). With rules_id (an expression), every row goes when the table was built with other
    rules (a configuration the model's rows depend on): the next build rebuilds every slice. Then nested loops and
    merge joins are turned off for the rest of the transaction, leaving hash joins, but for the index probes that
    have no other way: the planner cannot estimate how many rows the changed keys hold (it multiplies the key
    columns' selectivities to about one row), and with one row it joins the tag sets to every line by nested loop,
    for hours, or sorts both sides of merge joins (cost_daily's SQL for a new day at 1,000,000 lines: 0.21 s, against
    0.16 s hashed). The deletes come first because they need the planner's other choice: without nested loops it
    hashed every row of the table to find the few stale slices (4.4 s at 1,000,000 rows, against 0.6 s). -#}
{% macro cost_prepare_incremental(versions, grain, rules_id=none) -%}
    {%- set keys, version = cost_grain(grain)['keys'], cost_grain(grain)['version'] -%}
    {%- if is_incremental() -%}
        {% if rules_id is not none -%}
        delete from {{ this }}
        where (select built.rules_id from {{ this }} as built limit 1) is distinct from {{ rules_id }};
        {% endif -%}
        delete from {{ this }}
        where ({{ keys | join(', ') }}, {{ version }}) in (
            select * from {{ cost_versions(this, grain) }} as built
            except
            select {{ keys | join(', ') }}, {{ version }} from {{ versions }} as current_versions
        );
        set local enable_nestloop = off;
        set local enable_mergejoin = off
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of a large cost model: after a full build, the statistics of its new table, so the models after it
    plan on its real rows, not on default estimates (autovacuum analyzes a new table only after a while: at
    1,000,000 lines the next incremental build found none, and sorted cost_attribution's 320,000 rows it estimated
    as 1,600 to group them, 0.3 s instead of 0.1 s). An incremental build adds a few rows and leaves them as they
    were. -#}
{% macro cost_analyze_when_built_whole() -%}
    {%- if not is_incremental() -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the cost models (it runs in the model's transaction). Work memory: the models group many rows by
    text columns, and with PostgreSQL's default 4 MB they sort on disk with locale-aware comparisons, which takes
    longer than the rest of the model; with 64 MB the groups are hashed in memory. Asynchronous commit: the cost
    models' tables are derived from the billing data, and a build that a crash undoes is redone by the next (a crash
    loses only the latest commits, in their order, as if the build had stopped there; the raw data and load log
    stay durable), so a commit need not wait for its WAL to reach the disk (0.13 s of cost_daily's incremental build
    at 5,000,000 lines). -#}
{% macro cost_transaction_settings() -%}
    set local work_mem = '64MB';
    set local synchronous_commit = off
{%- endmacro %}
