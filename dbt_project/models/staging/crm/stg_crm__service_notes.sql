-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'service_notes') }}

),

renamed as (

    select
        -- ids
        cast(service_note_id as varchar) as service_note_id,
        cast(customer_id as varchar) as customer_id,
        cast(agent_id as varchar) as agent_id,

        -- strings
        cast(contact_channel as varchar) as contact_channel,

        -- free text (scanned and redacted by the ingest before writing)
        cast(note_text as varchar) as note_text,

        -- timestamps (UTC)
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
