-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'customers') }}

),

renamed as (

    select
        -- ids
        cast(customer_id as varchar) as customer_id,

        -- strings
        cast(salutation as varchar) as salutation,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,
        cast(billing_street as varchar) as billing_street,
        cast(billing_postcode as varchar) as billing_postcode,
        cast(billing_city as varchar) as billing_city,
        cast(billing_country as varchar) as billing_country,
        cast(delivery_street as varchar) as delivery_street,
        cast(delivery_postcode as varchar) as delivery_postcode,
        cast(delivery_city as varchar) as delivery_city,
        cast(delivery_country as varchar) as delivery_country,
        cast(photo_path as varchar) as photo_path,
        cast(source_channel as varchar) as source_channel,
        cast(preferred_language as varchar) as preferred_language,

        -- dates
        cast(birth_date as date) as birth_date,
        cast(customer_since_date as date) as customer_since_date,

        -- timestamps (UTC)
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
