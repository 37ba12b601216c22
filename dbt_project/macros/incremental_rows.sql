{#
  Why: an incremental model (DESIGN.md "Incremental dbt models do not carry upstream deletions")
  reads only the landing rows that ingest inserted or changed since the model last ran. Ingest
  stamps such a row with `_loaded_at` (contract C1 of issue 16: unchanged rows keep theirs), so
  "changed since" is "loaded after the newest loaded_at the model already holds". An empty model
  (first run after all its rows were erased) reads everything; `--full-refresh` reads everything.
  Use inside a CTE over a staging view: `where {{ loaded_since_last_run() }}`.
#}
{% macro loaded_since_last_run(column='loaded_at') -%}
    {%- if is_incremental() -%}
        {{ column }} > (
            select coalesce(max({{ column }}), cast('1900-01-01' as timestamp)) from {{ this }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#
  Why: `delete+insert` on `unique_key` replaces changed and adds new rows, but a row whose key is
  gone upstream (missing from a new full snapshot, so deleted from landing) would stay forever.
  This post-hook removes those rows: an anti-join against the keys upstream has now. Erasure
  deletes from every table itself (orchestration/defs/erasure/table_keys.py); this hook is what
  keeps an incremental model equal to a full refresh when the CRM drops a row.
#}
{% macro delete_rows_gone_upstream(relation, key_column, upstream_keys_sql) -%}
    {%- if is_incremental() -%}
        delete from {{ relation }}
        where not exists (
            select 1 from ({{ upstream_keys_sql }}) as upstream_keys
            where upstream_keys.{{ key_column }} = {{ relation }}.{{ key_column }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
