-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'wishlist_submissions') }}

),

renamed as (

    select
        -- ids
        cast(wishlist_submission_id as varchar) as wishlist_submission_id,
        cast(resulting_order_id as varchar) as resulting_order_id,
        cast(customer_id as varchar) as customer_id,

        -- strings
        cast(sender_first_name as varchar) as sender_first_name,
        cast(sender_last_name as varchar) as sender_last_name,
        cast(sender_email as varchar) as sender_email,
        cast(parent_email as varchar) as parent_email,

        -- free text (scanned and redacted by the ingest before writing)
        cast(wish_text as varchar) as wish_text,

        -- numerics
        cast(season_year as integer) as season_year,

        -- booleans
        cast(has_parental_consent as boolean) as has_parental_consent,

        -- dates
        cast(sender_birth_date as date) as sender_birth_date,

        -- timestamps (UTC)
        cast(submitted_at as timestamp) as submitted_at,

        -- provenance (landing _ columns)
        cast(_source_file as varchar) as source_file,
        cast(_export_id as varchar) as export_id,
        cast(_source_system as varchar) as source_system,
        cast(_loaded_at as timestamp) as loaded_at,
        cast(_row_number as bigint) as source_row_number

    from source

)

select * from renamed
