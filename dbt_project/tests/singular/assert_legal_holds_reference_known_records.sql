{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_crm__legal_holds'}}}) }}

-- A legal hold should point to a record the warehouse knows (table and key), otherwise it
-- protects nothing; warn (not fail): the held record may have been quarantined at ingest.

with

holds as (

    select * from {{ ref('stg_crm__legal_holds') }}

),

records as (

    select * from {{ ref('int_records_collected') }}

),

final as (

    select
        holds.legal_hold_id,
        holds.record_table,
        holds.record_id

    from holds
    left join records
        on
            holds.record_table = records.record_table
            and holds.record_id = records.record_id
            and records.field_name is null
    where records.record_key is null

)

select * from final
