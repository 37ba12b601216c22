-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the ingest's landing.free_text_scan_status layout.

with

source as (

    select * from {{ source('crm', 'free_text_scan_status') }}

),

renamed as (

    select
        -- ids
        cast(export_id as varchar) as export_id,
        cast(record_id as varchar) as record_id,

        -- strings
        cast(table_name as varchar) as table_name,
        cast(column_name as varchar) as column_name,
        cast(scan_status as varchar) as scan_status,
        cast(scanner_version as varchar) as scanner_version,

        -- timestamps (UTC)
        cast(scanned_at as timestamp) as scanned_at

    from source

)

select * from renamed
