{{ config(alias='marketing_audiences') }}

-- Marketing's audience (Art. 25(2) GDPR, privacy by default): only subjects eligible for a
-- purpose and channel (marketing_eligibilities), and only the contact datum of that channel
-- (e-mail for e-mail, phone for phone, postal address for post). No birth dates, no free text,
-- no special categories, no statuses of other records.

with

eligibilities as (

    select * from {{ ref('marketing_eligibilities') }}

),

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

final as (

    select
        eligibilities.marketing_eligibility_key,
        eligibilities.data_subject_id,
        eligibilities.subject_type,
        eligibilities.purpose_id,
        eligibilities.channel,
        subjects.salutation,
        subjects.first_name,
        subjects.last_name,
        subjects.preferred_language,
        eligibilities.as_of_date,
        case when eligibilities.channel = 'email' then subjects.email end as email,
        case when eligibilities.channel = 'phone' then subjects.phone end as phone,
        case when eligibilities.channel = 'post' then subjects.street end as street,
        case when eligibilities.channel = 'post' then subjects.postcode end as postcode,
        case when eligibilities.channel = 'post' then subjects.city end as city,
        case when eligibilities.channel = 'post' then subjects.country end as country

    from eligibilities
    inner join subjects
        on eligibilities.data_subject_id = subjects.data_subject_id
    where eligibilities.is_eligible

)

select * from final
