-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the ingest's landing.quarantine layout.

with

source as (

    select * from {{ source('crm', 'quarantine') }}

),

renamed as (

    select
        -- ids
        cast(export_id as varchar) as export_id,

        -- strings
        cast(table_name as varchar) as table_name,
        cast(source_file as varchar) as source_file,
        cast(column_name as varchar) as column_name,
        cast(reason as varchar) as quarantine_reason,

        -- numerics
        cast(source_row as bigint) as source_row_number,

        -- timestamps (UTC)
        cast(quarantined_at as timestamp) as quarantined_at

    from source

)

select * from renamed
