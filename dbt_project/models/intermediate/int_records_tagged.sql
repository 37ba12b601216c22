-- Purposes and legal bases of every personal record (REQUIREMENTS R3), one row per record and
-- purpose: the record type's primary purpose (record_types seed; for marketing sends the
-- campaign's purpose), plus, as long as the subject's consent for it is valid, each consented
-- purpose of a master record (customer, prospect, partner contact) and the consented purpose of a
-- consent record. The legal basis of a purpose comes from the purposes seed. Whether a record is
-- currently only kept for statutory retention is decided by its retention status (mart
-- record_retention_statuses), not here.

with

records as (

    select * from {{ ref('int_records_collected') }}

),

record_types as (

    select * from {{ ref('record_types') }}

),

purposes as (

    select * from {{ ref('purposes') }}

),

consents as (

    select * from {{ ref('int_consents_validated') }}

),

primary_purposes as (

    select
        records.record_key,
        coalesce(record_types.primary_purpose_id, records.record_purpose_id) as purpose_id,
        true as is_primary,
        'record_type' as tagged_by

    from records
    left join record_types
        on records.record_type = record_types.record_type

),

consented_purposes_of_master_records as (

    select distinct
        records.record_key,
        consents.purpose_id,
        false as is_primary,
        'valid_consent' as tagged_by

    from records
    inner join consents
        on records.data_subject_id = consents.data_subject_id
    where
        records.is_master_record
        and consents.is_valid

),

consented_purposes_of_consent_records as (

    select
        records.record_key,
        consents.purpose_id,
        false as is_primary,
        'valid_consent' as tagged_by

    from records
    inner join consents
        on
            records.record_table = 'consents'
            and records.record_id = consents.consent_id
    where consents.is_valid

),

unioned as (

    select * from primary_purposes
    union all
    select * from consented_purposes_of_master_records
    union all
    select * from consented_purposes_of_consent_records

),

-- a consented purpose that is also the primary purpose is listed once, as primary

deduplicated as (

    select
        record_key,
        purpose_id,
        is_primary,
        tagged_by,
        row_number() over (
            partition by record_key, purpose_id
            order by case when is_primary then 0 else 1 end
        ) as purpose_rank

    from unioned

),

final as (

    select
        {{ dbt.concat([
            "deduplicated.record_key", "'|'", "coalesce(deduplicated.purpose_id, '')"
        ]) }} as record_purpose_key,
        deduplicated.record_key,
        deduplicated.purpose_id,
        deduplicated.is_primary,
        deduplicated.tagged_by,
        purposes.legal_basis_id,
        purposes.is_advertising,
        purposes.legal_reference

    from deduplicated
    left join purposes
        on deduplicated.purpose_id = purposes.purpose_id
    where deduplicated.purpose_rank = 1

)

select * from final
