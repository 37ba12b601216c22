{#
  Why: the GDPR column metadata (config.meta.gdpr: pii_class, special_category, purpose,
  retention_rule; and the column tags) lives in the YAML of the models, seeds and sources. To
  check it against the valid_tags seed inside `dbt build`, and to derive the Art. 30 record of
  processing activities and the role access report from it, it must become rows. This macro reads
  the dbt graph (only at execution time, DESIGN.md) and returns one dict per metadata value:
  node, layer (second fqn part: staging, intermediate, marts, roles; seeds; sources), schema,
  column (none for model-level metadata), tag_type, tag_value. `purpose` and `retention_rule` may
  be a string or a list. Columns of the layers in `required_layers` also yield a pii_class row
  with tag_value none when they carry no metadata, so a test can require every column there to be
  classified. Only this project's nodes are read.
#}
{% macro gdpr_tag_rows(required_layers=['marts', 'roles']) %}
    {%- set rows = [] -%}
    {%- if execute and graph.nodes is defined -%}
        {%- set nodes = [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type in ['model', 'seed', 'snapshot']
                and node.package_name == project_name -%}
                {%- do nodes.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.package_name == project_name -%}
                {%- do nodes.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for node in nodes -%}
            {%- if node.resource_type == 'model' -%}
                {%- set layer = node.fqn[1] if node.fqn | length > 2 else 'models' -%}
            {%- else -%}
                {%- set layer = node.resource_type ~ 's' -%}
            {%- endif -%}
            {%- set node_meta = (node.config.meta if node.config is defined
                and node.config.meta is defined else {}) or node.meta or {} -%}
            {%- set node_gdpr = node_meta.get('gdpr', {}) or {} -%}
            {%- for key in ['purpose', 'retention_rule'] -%}
                {%- set value = node_gdpr.get(key) -%}
                {%- set values = value if (value is iterable and value is not string)
                    else ([value] if value is not none else []) -%}
                {%- for v in values -%}
                    {%- do rows.append({
                        'node_unique_id': node.unique_id, 'resource_type': node.resource_type,
                        'node_name': node.name, 'layer': layer, 'schema_name': node.schema,
                        'column_name': none, 'tag_type': key, 'tag_value': v | string}) -%}
                {%- endfor -%}
            {%- endfor -%}
            {%- for column in node.columns.values() -%}
                {%- set column_config = column.config if column.config is defined else {} -%}
                {%- set column_meta = (column_config.meta if column_config
                    and column_config.meta is defined else {}) or column.meta or {} -%}
                {%- set gdpr = column_meta.get('gdpr', {}) or {} -%}
                {%- set column_tags = (column_config.tags if column_config
                    and column_config.tags is defined else []) or column.tags or [] -%}
                {%- set base = {
                    'node_unique_id': node.unique_id, 'resource_type': node.resource_type,
                    'node_name': node.name, 'layer': layer, 'schema_name': node.schema,
                    'column_name': column.name} -%}
                {%- if gdpr.get('pii_class') is none and layer in required_layers -%}
                    {%- set row = base.copy() -%}
                    {%- do row.update({'tag_type': 'pii_class', 'tag_value': none}) -%}
                    {%- do rows.append(row) -%}
                {%- endif -%}
                {%- for key in ['pii_class', 'special_category', 'purpose', 'retention_rule'] -%}
                    {%- set value = gdpr.get(key) -%}
                    {%- set values = value if (value is iterable and value is not string)
                        else ([value] if value is not none else []) -%}
                    {%- for v in values -%}
                        {%- set row = base.copy() -%}
                        {%- do row.update({'tag_type': key, 'tag_value': v | string}) -%}
                        {%- do rows.append(row) -%}
                    {%- endfor -%}
                {%- endfor -%}
                {%- for t in column_tags -%}
                    {%- set row = base.copy() -%}
                    {%- do row.update({'tag_type': 'column_tag', 'tag_value': t | string}) -%}
                    {%- do rows.append(row) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(rows) }}
{% endmacro %}
