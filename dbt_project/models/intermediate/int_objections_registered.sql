-- Objections (Art. 21 GDPR) per person. An objection to direct marketing must always be
-- honoured (Art. 21(3)), so every objection request received by the end of the as_of day counts,
-- whatever its handling status; it suppresses the person from all advertising purposes and
-- excludes them from automated decisions and profiling (second seed interview). It applies to
-- the person, i.e. to every subject record the CRM links to them (person_id).

with

requests as (

    select * from {{ ref('int_data_subject_requests_resolved') }}

),

objections as (

    select
        person_id,
        request_id,
        received_at

    from requests
    where
        request_type = 'objection'
        and is_received

),

final as (

    select
        person_id,
        true as is_suppressed_from_marketing,
        true as is_excluded_from_profiling,
        min(received_at) as first_objection_at,
        max(received_at) as last_objection_at,
        count(*) as objection_count

    from objections
    group by person_id

)

select * from final
