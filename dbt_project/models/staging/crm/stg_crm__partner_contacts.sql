-- Rename and cast only (DESIGN.md). The casts pin the types of
-- the export contract, orchestration/lib/crm_schema.py.

with

source as (

    select * from {{ source('crm', 'partner_contacts') }}

),

renamed as (

    select
        -- ids
        cast(partner_contact_id as varchar) as partner_contact_id,

        -- strings
        cast(company_name as varchar) as company_name,
        cast(salutation as varchar) as salutation,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(job_title as varchar) as job_title,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,

        -- free text (scanned and redacted by the ingest before writing)
        cast(partner_note as varchar) as partner_note,

        -- dates
        cast(company_anniversary_date as date) as company_anniversary_date,
        cast(partner_since_date as date) as partner_since_date,

        -- timestamps (UTC)
        cast(last_contact_at as timestamp) as last_contact_at,
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
