-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'marketing_sends') }}

),

renamed as (

    select
        -- ids
        cast(marketing_send_id as varchar) as marketing_send_id,
        cast(subject_id as varchar) as subject_id,
        cast(campaign_id as varchar) as campaign_id,
        cast(purpose_id as varchar) as purpose_id,

        -- strings
        cast(subject_type as varchar) as subject_type,
        cast(channel as varchar) as channel,

        -- timestamps (UTC)
        cast(sent_at as timestamp) as sent_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
