{#
  Why: dbt's default prefixes custom schemas with the target schema ("main_staging"). Auditors
  and the role views address schemas by their plain names (staging, governance, role_marketing),
  so a custom schema is used as it is.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
