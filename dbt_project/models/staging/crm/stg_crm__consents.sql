-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'consents') }}

),

renamed as (

    select
        -- ids
        cast(consent_id as varchar) as consent_id,
        cast(subject_id as varchar) as subject_id,
        cast(purpose_id as varchar) as purpose_id,

        -- strings
        cast(subject_type as varchar) as subject_type,
        cast(channel as varchar) as channel,
        cast(consent_source as varchar) as consent_source,
        cast(consent_text_version as varchar) as consent_text_version,

        -- booleans
        cast(has_parental_consent as boolean) as has_parental_consent,
        cast(is_bundled_with_contract as boolean) as is_bundled_with_contract,

        -- timestamps (UTC)
        cast(granted_at as timestamp) as granted_at,
        cast(confirmed_at as timestamp) as confirmed_at,
        cast(withdrawn_at as timestamp) as withdrawn_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
