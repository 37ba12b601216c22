{{ config(alias='customers') }}

-- Customer service sees active customers only (a restricted record may only be stored,
-- Art. 18(2) GDPR; an expired one is due for deletion), with what it needs to serve them and to
-- verify a caller's identity (Art. 12(6)): names, contact, addresses, birth date, and the photo
-- path only while the photo consent is valid. No special-category findings.

with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

subjects as (

    select * from {{ ref('data_subjects') }}

),

active_customers as (

    select record_id as customer_id
    from statuses
    where
        record_type = 'customer'
        and retention_status = 'active'

),

active_photos as (

    select record_id as customer_id
    from statuses
    where
        record_type = 'customer_photo'
        and retention_status = 'active'

),

final as (

    select
        customers.customer_id,
        customers.salutation,
        customers.first_name,
        customers.last_name,
        customers.email,
        customers.phone,
        customers.birth_date,
        customers.billing_street,
        customers.billing_postcode,
        customers.billing_city,
        customers.billing_country,
        customers.delivery_street,
        customers.delivery_postcode,
        customers.delivery_city,
        customers.delivery_country,
        customers.preferred_language,
        customers.customer_since_date,
        customers.last_contact_at,
        case when active_photos.customer_id is not null then customers.photo_path end
            as photo_path,
        coalesce(subjects.has_marketing_objection, false) as has_marketing_objection

    from customers
    inner join active_customers
        on customers.customer_id = active_customers.customer_id
    left join active_photos
        on customers.customer_id = active_photos.customer_id
    left join subjects
        on
            subjects.subject_type = 'customer'
            and customers.customer_id = subjects.subject_id

)

select * from final
