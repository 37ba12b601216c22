-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'orders') }}

),

renamed as (

    select
        -- ids
        cast(order_id as varchar) as order_id,
        cast(customer_id as varchar) as customer_id,

        -- strings
        cast(order_status as varchar) as order_status,
        cast(order_channel as varchar) as order_channel,
        cast(currency as varchar) as currency,

        -- free text (scanned and redacted by the ingest before writing)
        cast(order_comment as varchar) as order_comment,

        -- numerics
        cast(total_amount as decimal(12, 2)) as total_amount,

        -- timestamps (UTC)
        cast(ordered_at as timestamp) as ordered_at,
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
