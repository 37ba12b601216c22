{{ config(alias='service_notes') }}

-- Active service notes, with the note text as redacted at ingest (the scanner removed what it
-- found; the residual risk of an undetected Art. 9 phrase is why role_access allows
-- special_category for customer service, and nothing more).

with

notes as (

    select * from {{ ref('stg_crm__service_notes') }}

),

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

final as (

    select
        notes.service_note_id,
        notes.customer_id,
        notes.agent_id,
        notes.contact_channel,
        notes.note_text,
        notes.created_at

    from notes
    inner join statuses
        on
            statuses.record_type = 'service_note'
            and notes.service_note_id = statuses.record_id
    where statuses.retention_status = 'active'

)

select * from final
