{{ config(meta={'dagster': {'ref': {'name': 'record_retention_statuses'}}}) }}

-- Every row of every CRM table that holds personal data (and every customer photo) appears in
-- record_retention_statuses with a purpose, a legal basis, a retention status and a rule
-- (REQUIREMENTS R3/R5: every personal record has a purpose, legal basis and retention status).
-- Returns the table and key of records that are missing or incomplete.

with

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

{%- set crm_tables = [
    ('customers', 'customer_id'),
    ('prospects', 'prospect_id'),
    ('partner_contacts', 'partner_contact_id'),
    ('orders', 'order_id'),
    ('invoices', 'invoice_id'),
    ('wishlist_submissions', 'wishlist_submission_id'),
    ('service_notes', 'service_note_id'),
    ('consents', 'consent_id'),
    ('marketing_sends', 'marketing_send_id'),
    ('data_subject_requests', 'request_id'),
    ('legal_holds', 'legal_hold_id'),
] %}

expected as (
    {% for table_name, key_column in crm_tables %}
    select
        '{{ table_name }}' as record_table,
        {{ key_column }} as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name
    from {{ ref('stg_crm__' ~ table_name) }}

    union all
    {% endfor %}
    select
        'customers' as record_table,
        customer_id as record_id,
        'photo_path' as field_name
    from {{ ref('stg_crm__customers') }}
    where photo_path is not null and trim(photo_path) != ''

),

final as (

    select
        expected.record_table,
        expected.record_id,
        expected.field_name,
        case
            when statuses.record_key is null then 'record missing'
            else 'purpose, legal basis, status or rule missing'
        end as problem

    from expected
    left join statuses
        on
            expected.record_table = statuses.record_table
            and expected.record_id = statuses.record_id
            and coalesce(expected.field_name, '') = coalesce(statuses.field_name, '')
    where
        statuses.record_key is null
        or statuses.processing_purpose_id is null
        or statuses.legal_basis_id is null
        or statuses.retention_status is null
        or statuses.rule_id is null

)

select * from final
