-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'prospects') }}

),

renamed as (

    select
        -- ids
        cast(prospect_id as varchar) as prospect_id,
        cast(converted_customer_id as varchar) as converted_customer_id,

        -- strings
        cast(salutation as varchar) as salutation,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,
        cast(company_name as varchar) as company_name,
        cast(source_channel as varchar) as source_channel,
        cast(trade_fair_name as varchar) as trade_fair_name,

        -- timestamps (UTC)
        cast(captured_at as timestamp) as captured_at,
        cast(last_contact_at as timestamp) as last_contact_at,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
