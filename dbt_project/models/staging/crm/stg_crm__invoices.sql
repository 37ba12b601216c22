-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'invoices') }}

),

renamed as (

    select
        -- ids
        cast(invoice_id as varchar) as invoice_id,
        cast(order_id as varchar) as order_id,
        cast(customer_id as varchar) as customer_id,

        -- strings
        cast(currency as varchar) as currency,

        -- numerics
        cast(net_amount as decimal(12, 2)) as net_amount,
        cast(vat_amount as decimal(12, 2)) as vat_amount,
        cast(gross_amount as decimal(12, 2)) as gross_amount,

        -- dates
        cast(invoice_date as date) as invoice_date,

        -- timestamps (UTC)
        cast(paid_at as timestamp) as paid_at,
        cast(created_at as timestamp) as created_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
