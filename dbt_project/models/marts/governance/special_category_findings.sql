-- Special-category findings (Art. 9 GDPR, plus Art. 10) per data subject, CRM table, field and
-- category, from the scanner's findings (landing.note_findings): how many, in how many records,
-- the highest score, first and last found, and which scanner versions found them. The matched
-- text is never stored; still, "this person's note mentions health" is itself Art. 9 data, so
-- only the DPO's role view exposes this model. Findings whose record is gone (erased) are
-- reported under the subject key 'unresolved'.

with

findings as (

    select * from {{ ref('int_note_findings_resolved') }}

),

special_categories as (

    select * from {{ ref('special_categories') }}

),

special_findings as (

    select
        person_id,
        subject_type,
        record_table,
        record_id,
        column_name,
        entity_type,
        score,
        scanner_version,
        found_at,
        coalesce(data_subject_id, 'unresolved') as data_subject_id

    from findings
    where is_special_category

),

aggregated as (

    select
        data_subject_id,
        record_table,
        column_name,
        entity_type,
        min(person_id) as person_id,
        min(subject_type) as subject_type,
        count(*) as finding_count,
        count(distinct record_id) as record_count,
        max(score) as max_score,
        min(found_at) as first_found_at,
        max(found_at) as last_found_at

    from special_findings
    group by data_subject_id, record_table, column_name, entity_type

),

distinct_scanner_versions as (

    select distinct
        data_subject_id,
        record_table,
        column_name,
        entity_type,
        coalesce(scanner_version, 'unknown') as scanner_version

    from special_findings

),

scanner_versions as (

    select
        data_subject_id,
        record_table,
        column_name,
        entity_type,
        {{ dbt.listagg('scanner_version', "','", 'order by scanner_version') }}
            as scanner_versions

    from distinct_scanner_versions
    group by data_subject_id, record_table, column_name, entity_type

),

final as (

    select
        {{ dbt.concat([
            "aggregated.data_subject_id", "'|'", "aggregated.record_table", "'|'",
            "aggregated.column_name", "'|'", "aggregated.entity_type"
        ]) }} as special_category_finding_key,
        aggregated.data_subject_id,
        aggregated.person_id,
        aggregated.subject_type,
        aggregated.record_table,
        aggregated.column_name,
        aggregated.entity_type,
        special_categories.gdpr_article,
        special_categories.name_de as category_name_de,
        special_categories.name_en as category_name_en,
        aggregated.finding_count,
        aggregated.record_count,
        aggregated.max_score,
        aggregated.first_found_at,
        aggregated.last_found_at,
        scanner_versions.scanner_versions,
        {{ as_of_date() }} as as_of_date

    from aggregated
    left join scanner_versions
        on
            aggregated.data_subject_id = scanner_versions.data_subject_id
            and aggregated.record_table = scanner_versions.record_table
            and aggregated.column_name = scanner_versions.column_name
            and aggregated.entity_type = scanner_versions.entity_type
    left join special_categories
        on aggregated.entity_type = special_categories.entity_type

)

select * from final
