-- One row per data subject (customer, prospect, partner contact, wish-list sender) with contact
-- data, provenance (source system, channel, export, first seen, last changed), the retention
-- status of the subject's master record, objection and request flags, and the number of
-- special-category findings in their free text. For the DPO and for access requests (Art. 15);
-- marketing sees none of it directly (role views).

with

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

records as (

    select * from {{ ref('int_records_retention_evaluated') }}

),

objections as (

    select * from {{ ref('int_objections_registered') }}

),

requests as (

    select * from {{ ref('int_data_subject_requests_resolved') }}

),

findings as (

    select * from {{ ref('int_note_findings_resolved') }}

),

master_records as (

    select
        data_subject_id,
        record_key,
        retention_status,
        status_reason,
        rule_id,
        deadline

    from records
    where record_type in (
        'customer', 'prospect', 'partner_contact',
        'wishlist_submission', 'wishlist_submission_ordered'
    )

),

request_counts as (

    select
        data_subject_id,
        count(case when is_open then 1 end) as open_request_count,
        count(case when is_overdue then 1 end) as overdue_request_count

    from requests
    group by data_subject_id

),

finding_counts as (

    select
        data_subject_id,
        count(*) as special_category_finding_count

    from findings
    where
        is_special_category
        and data_subject_id is not null
    group by data_subject_id

),

final as (

    select
        subjects.data_subject_id,
        subjects.subject_type,
        subjects.subject_id,
        subjects.person_id,
        subjects.linked_customer_id,
        subjects.salutation,
        subjects.first_name,
        subjects.last_name,
        subjects.email,
        subjects.phone,
        subjects.company_name,
        subjects.birth_date,
        case
            when subjects.birth_date is not null
                then {{ as_of_date() }} < {{ age_reached_date('subjects.birth_date', 16) }}
        end as is_under_16,
        subjects.street,
        subjects.postcode,
        subjects.city,
        subjects.country,
        subjects.preferred_language,
        subjects.source_channel,
        subjects.source_system,
        subjects.export_id,
        subjects.source_file,
        subjects.first_seen_at,
        subjects.last_changed_at,
        subjects.loaded_at,
        master_records.record_key as master_record_key,
        master_records.retention_status,
        master_records.status_reason,
        master_records.rule_id,
        master_records.deadline,
        objections.person_id is not null as has_marketing_objection,
        objections.person_id is not null as is_excluded_from_profiling,
        objections.first_objection_at,
        coalesce(request_counts.open_request_count, 0) as open_request_count,
        coalesce(request_counts.overdue_request_count, 0) as overdue_request_count,
        coalesce(finding_counts.special_category_finding_count, 0)
            as special_category_finding_count,
        {{ as_of_date() }} as as_of_date

    from subjects
    left join master_records
        on subjects.data_subject_id = master_records.data_subject_id
    left join objections
        on subjects.person_id = objections.person_id
    left join request_counts
        on subjects.data_subject_id = request_counts.data_subject_id
    left join finding_counts
        on subjects.data_subject_id = finding_counts.data_subject_id

)

select * from final
