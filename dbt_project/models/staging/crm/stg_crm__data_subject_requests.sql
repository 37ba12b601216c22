-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'data_subject_requests') }}

),

renamed as (

    select
        -- ids
        cast(request_id as varchar) as request_id,
        cast(subject_id as varchar) as subject_id,

        -- strings
        cast(subject_type as varchar) as subject_type,
        cast(request_type as varchar) as request_type,
        cast(request_status as varchar) as request_status,

        -- booleans
        cast(is_deadline_extended as boolean) as is_deadline_extended,

        -- timestamps (UTC)
        cast(received_at as timestamp) as received_at,
        cast(completed_at as timestamp) as completed_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
