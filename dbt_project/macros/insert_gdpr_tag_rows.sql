{#
  Why: the GDPR metadata rows (macro gdpr_tag_rows) are hundreds of literals. Rendering them
  into the model's SELECT would make the compiled model huge (in the docs site and for the SQL
  linter), so the model creates an empty, typed table and this post-hook fills it with plain
  multi-row INSERTs (portable SQL), 200 distinct rows per statement.
#}
{% macro insert_gdpr_tag_rows(relation) %}
    {%- set columns = ['node_unique_id', 'resource_type', 'node_name', 'layer', 'schema_name',
        'column_name', 'tag_type', 'tag_value'] -%}
    {%- set values = [] -%}
    {%- for row in gdpr_tag_rows() -%}
        {%- set key_parts = [row['node_unique_id'], row['column_name'] or '', row['tag_type'],
            row['tag_value'] or ''] -%}
        {%- set literals = ["'" ~ (key_parts | join('|') | replace("'", "''")) ~ "'"] -%}
        {%- for key in columns -%}
            {%- if row[key] is none -%}
                {%- do literals.append('null') -%}
            {%- else -%}
                {%- do literals.append("'" ~ (row[key] | string | replace("'", "''")) ~ "'") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do values.append('(' ~ literals | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for batch in values | unique | list | batch(200) -%}
        {%- do statements.append(
            'insert into ' ~ relation ~ ' (gdpr_tag_key, ' ~ columns | join(', ') ~ ') values '
            ~ batch | join(', ')
        ) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
