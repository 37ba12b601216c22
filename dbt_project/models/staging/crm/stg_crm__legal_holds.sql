-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'legal_holds') }}

),

renamed as (

    select
        -- ids
        cast(legal_hold_id as varchar) as legal_hold_id,
        cast(record_id as varchar) as record_id,

        -- strings
        cast(record_table as varchar) as record_table,
        cast(hold_reason as varchar) as hold_reason,

        -- timestamps (UTC)
        cast(placed_at as timestamp) as placed_at,
        cast(released_at as timestamp) as released_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
