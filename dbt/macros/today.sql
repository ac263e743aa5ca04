{#- The build's "today", a UTC date: the var `today` (YYYY-MM-DD) that `cloudforge` passes from its clock
    (setting clock.today, else the current UTC date), so every date decision of a build agrees with the policy
    run and the demo. Unset (dbt run by hand), the warehouse's current UTC date. -#}
{%- macro today() -%}
    {%- set pinned = var('today', none) -%}
    {%- if pinned -%}
        date '{{ modules.datetime.date.fromisoformat(pinned | string).isoformat() }}'
    {%- else -%}
        (now() at time zone 'utc')::date
    {%- endif -%}
{%- endmacro -%}

{#- The build's "now" (timestamptz), as the clock reads it: with `today` pinned, that day at the warehouse's
    time of day in UTC (as cloudforge.clock.Clock.now()); unpinned, now(). -#}
{%- macro clock_now() -%}
    {%- if var('today', none) -%}
        (({{ today() }} + (now() at time zone 'utc')::time) at time zone 'utc')
    {%- else -%}
        now()
    {%- endif -%}
{%- endmacro -%}
