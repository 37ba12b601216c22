-- Scanner findings resolved to the data subject of the scanned record, flagged as special
-- category (Art. 9, or Art. 10 criminal-offence data) via the special_categories seed. The same
-- finding reported again by a later export or rescan (same record, field, category, offsets and
-- scanner version) is kept once, with its first found_at. Findings whose record is no longer in
-- the warehouse (erased) keep a NULL subject.

with

findings as (

    select * from {{ source('scanner', 'note_findings') }}

),

records as (

    select * from {{ ref('int_records_collected') }}

),

special_categories as (

    select * from {{ ref('special_categories') }}

),

deduplicated as (

    select
        record_table,
        record_id,
        column_name,
        entity_type,
        start_offset,
        end_offset,
        scanner_version,
        max(score) as score,
        min(recognizer) as recognizer,
        min(export_id) as export_id,
        min(found_at) as found_at

    from findings
    group by
        record_table,
        record_id,
        column_name,
        entity_type,
        start_offset,
        end_offset,
        scanner_version

),

final as (

    select
        {{ dbt.concat([
            "deduplicated.record_table", "'|'", "deduplicated.record_id", "'|'",
            "deduplicated.column_name", "'|'", "deduplicated.entity_type", "'|'",
            dbt.cast("deduplicated.start_offset", dbt.type_string()), "'|'",
            dbt.cast("deduplicated.end_offset", dbt.type_string()), "'|'",
            "coalesce(deduplicated.scanner_version, '')"
        ]) }} as finding_key,
        deduplicated.record_table,
        deduplicated.record_id,
        deduplicated.column_name,
        deduplicated.entity_type,
        special_categories.entity_type is not null as is_special_category,
        special_categories.gdpr_article,
        deduplicated.start_offset,
        deduplicated.end_offset,
        deduplicated.score,
        deduplicated.recognizer,
        deduplicated.scanner_version,
        deduplicated.export_id,
        deduplicated.found_at,
        records.record_key,
        records.data_subject_id,
        records.person_id,
        records.subject_type

    from deduplicated
    left join records
        on
            deduplicated.record_table = records.record_table
            and deduplicated.record_id = records.record_id
            and records.field_name is null
    left join special_categories
        on deduplicated.entity_type = special_categories.entity_type

)

select * from final
