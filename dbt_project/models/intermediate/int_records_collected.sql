-- Every personal record the governance models evaluate, one row per record, with the subject it
-- belongs to, its record type (record_types seed), the event its retention period counts from
-- (retention_event must equal counts_from_event of a rule in retention_rules) and, where the
-- business purpose can end before the retention period does, the day it ended (a paid invoice,
-- a withdrawn consent, a completed request: from then on the record is only kept, restricted).
-- A customer photo is a record of its own (field photo_path of customers) because it has its
-- own legal basis (consent). record_key = record_table:record_id[:field_name].

with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

prospects as (

    select * from {{ ref('stg_crm__prospects') }}

),

partner_contacts as (

    select * from {{ ref('stg_crm__partner_contacts') }}

),

orders as (

    select * from {{ ref('stg_crm__orders') }}

),

invoices as (

    select * from {{ ref('stg_crm__invoices') }}

),

wishlist_submissions as (

    select * from {{ ref('stg_crm__wishlist_submissions') }}

),

service_notes as (

    select * from {{ ref('stg_crm__service_notes') }}

),

marketing_sends as (

    select * from {{ ref('stg_crm__marketing_sends') }}

),

legal_holds as (

    select * from {{ ref('stg_crm__legal_holds') }}

),

consents as (

    select * from {{ ref('int_consents_validated') }}

),

requests as (

    select * from {{ ref('int_data_subject_requests_resolved') }}

),

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

record_types as (

    select * from {{ ref('record_types') }}

),

-- customer activity: the customer relationship rule counts from the last of these

last_orders as (

    select
        customer_id,
        max({{ berlin_date('ordered_at') }}) as last_order_date

    from orders
    group by customer_id

),

last_invoices as (

    select
        customer_id,
        max(invoice_date) as last_invoice_date

    from invoices
    group by customer_id

),

last_service_notes as (

    select
        customer_id,
        max({{ berlin_date('created_at') }}) as last_note_date

    from service_notes
    group by customer_id

),

photo_consents as (

    select
        subject_id as customer_id,
        {{ dbt.bool_or('is_valid') }} as has_valid_consent,
        max(
            case when consent_status = 'withdrawn' then {{ berlin_date('withdrawn_at') }} end
        )
            as last_withdrawal_date

    from consents
    where
        subject_type = 'customer'
        and purpose_id = 'customer_photos'
    group by subject_id

),

customer_records as (

    select
        'customers' as record_table,
        customers.customer_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'customer' as record_type,
        'customer' as subject_type,
        customers.customer_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'last_activity_date' as retention_event,
        greatest(
            customers.customer_since_date,
            coalesce(
                {{ berlin_date('customers.last_contact_at') }}, customers.customer_since_date
            ),
            coalesce(last_orders.last_order_date, customers.customer_since_date),
            coalesce(last_invoices.last_invoice_date, customers.customer_since_date),
            coalesce(last_service_notes.last_note_date, customers.customer_since_date)
        ) as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        customers.source_system,
        customers.export_id,
        customers.source_file,
        customers.loaded_at

    from customers
    left join last_orders
        on customers.customer_id = last_orders.customer_id
    left join last_invoices
        on customers.customer_id = last_invoices.customer_id
    left join last_service_notes
        on customers.customer_id = last_service_notes.customer_id

),

customer_photo_records as (

    select
        'customers' as record_table,
        customers.customer_id as record_id,
        'photo_path' as field_name,
        'customer_photo' as record_type,
        'customer' as subject_type,
        customers.customer_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'photo_consent_end_date' as retention_event,
        -- the last day with a valid consent; NULL (open) while a consent is valid
        case
            when coalesce(photo_consents.has_valid_consent, false) then null
            when photo_consents.last_withdrawal_date is not null
                then {{ days_before('photo_consents.last_withdrawal_date', 1) }}
            else {{ days_before(berlin_date('customers.created_at'), 1) }}
        end as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        customers.source_system,
        customers.export_id,
        customers.source_file,
        customers.loaded_at

    from customers
    left join photo_consents
        on customers.customer_id = photo_consents.customer_id
    where
        customers.photo_path is not null
        and trim(customers.photo_path) != ''

),

prospect_records as (

    select
        'prospects' as record_table,
        prospect_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'prospect' as record_type,
        'prospect' as subject_type,
        prospect_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'last_contact_date' as retention_event,
        greatest(
            {{ berlin_date('captured_at') }},
            coalesce({{ berlin_date('last_contact_at') }}, {{ berlin_date('captured_at') }})
        ) as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        source_system,
        export_id,
        source_file,
        loaded_at

    from prospects

),

partner_contact_records as (

    select
        'partner_contacts' as record_table,
        partner_contact_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'partner_contact' as record_type,
        'partner_contact' as subject_type,
        partner_contact_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'last_contact_date' as retention_event,
        greatest(
            partner_since_date,
            coalesce({{ berlin_date('last_contact_at') }}, partner_since_date)
        ) as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        source_system,
        export_id,
        source_file,
        loaded_at

    from partner_contacts

),

order_records as (

    select
        'orders' as record_table,
        order_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'order' as record_type,
        'customer' as subject_type,
        customer_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'order_date' as retention_event,
        {{ berlin_date('ordered_at') }} as retention_event_date,
        -- the contract purpose of an order ends when it is cancelled or returned, and for a
        -- delivered order when the warranty for defects has run out (var warranty_months,
        -- default 24: §438 Abs. 1 Nr. 3 BGB); from then on it is only kept as a commercial letter
        case
            when updated_at >= {{ as_of_cutoff() }} then null
            when lower(order_status) in ('cancelled', 'returned')
                then {{ berlin_date('updated_at') }}
            when lower(order_status) in ('delivered', 'completed', 'closed')
                then cast({{ dbt.dateadd(
                    'month', var('warranty_months', 24), berlin_date('updated_at')
                ) }} as date)
        end as purpose_ended_date,
        false as is_active_consent,
        source_system,
        export_id,
        source_file,
        loaded_at

    from orders

),

invoice_records as (

    select
        'invoices' as record_table,
        invoice_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'invoice' as record_type,
        'customer' as subject_type,
        customer_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'invoice_date' as retention_event,
        invoice_date as retention_event_date,
        -- paid: the contract purpose is fulfilled, only the statutory retention remains
        case when paid_at < {{ as_of_cutoff() }} then {{ berlin_date('paid_at') }} end
            as purpose_ended_date,
        false as is_active_consent,
        source_system,
        export_id,
        source_file,
        loaded_at

    from invoices

),

wishlist_records as (

    select
        'wishlist_submissions' as record_table,
        wishlist_submissions.wishlist_submission_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        case
            when wishlist_submissions.resulting_order_id is null then 'wishlist_submission'
            else 'wishlist_submission_ordered'
        end as record_type,
        'wishlist_sender' as subject_type,
        wishlist_submissions.wishlist_submission_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        case
            when wishlist_submissions.resulting_order_id is null then 'season_end_date'
            else 'order_date'
        end as retention_event,
        case
            when wishlist_submissions.resulting_order_id is null
                then {{ year_end_date('wishlist_submissions.season_year') }}
            else coalesce(
                {{ berlin_date('orders.ordered_at') }},
                {{ berlin_date('wishlist_submissions.submitted_at') }}
            )
        end as retention_event_date,
        -- an ordered wish list served its purpose with the order; it is then only kept
        case
            when wishlist_submissions.resulting_order_id is not null
                then coalesce(
                    {{ berlin_date('orders.ordered_at') }},
                    {{ berlin_date('wishlist_submissions.submitted_at') }}
                )
        end as purpose_ended_date,
        false as is_active_consent,
        wishlist_submissions.source_system,
        wishlist_submissions.export_id,
        wishlist_submissions.source_file,
        wishlist_submissions.loaded_at

    from wishlist_submissions
    left join orders
        on wishlist_submissions.resulting_order_id = orders.order_id

),

service_note_records as (

    select
        'service_notes' as record_table,
        service_note_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'service_note' as record_type,
        'customer' as subject_type,
        customer_id as subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'note_date' as retention_event,
        {{ berlin_date('created_at') }} as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        source_system,
        export_id,
        source_file,
        loaded_at

    from service_notes

),

-- an erasure request ends every consent the person gave before it (Art. 7(3), Art. 17(1)(b)
-- GDPR): from then on the consent is only kept as proof (consent_evidence_3y counts from the
-- request's day), not open-ended

consent_erasures as (

    select
        person_id,
        min(received_date) as erasure_received_date

    from requests
    where
        request_type = 'erasure'
        and is_received
        and not is_rejected
    group by person_id

),

consents_ended as (

    select
        consents.*,
        case
            when consents.consent_end_date is not null then consents.consent_end_date
            when
                consents.is_granted
                and {{ berlin_date('consents.granted_at') }}
                <= consent_erasures.erasure_received_date
                then consent_erasures.erasure_received_date
        end as retention_end_date

    from consents
    left join consent_erasures
        on consents.person_id = consent_erasures.person_id

),

consent_records as (

    select
        'consents' as record_table,
        consents.consent_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'consent' as record_type,
        consents.subject_type,
        consents.subject_id,
        consents.purpose_id as record_purpose_id,
        'consent_end_date' as retention_event,
        consents.retention_end_date as retention_event_date,
        consents.retention_end_date as purpose_ended_date,
        consents.is_valid and consents.retention_end_date is null as is_active_consent,
        stg_consents.source_system,
        stg_consents.export_id,
        stg_consents.source_file,
        stg_consents.loaded_at

    from consents_ended as consents
    inner join {{ ref('stg_crm__consents') }} as stg_consents
        on consents.consent_id = stg_consents.consent_id

),

marketing_send_records as (

    select
        'marketing_sends' as record_table,
        marketing_send_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'marketing_send' as record_type,
        subject_type,
        subject_id,
        purpose_id as record_purpose_id,
        'send_date' as retention_event,
        {{ berlin_date('sent_at') }} as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        source_system,
        export_id,
        source_file,
        loaded_at

    from marketing_sends

),

request_records as (

    select
        'data_subject_requests' as record_table,
        requests.request_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'data_subject_request' as record_type,
        requests.subject_type,
        requests.subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'completion_date' as retention_event,
        requests.completed_date as retention_event_date,
        requests.completed_date as purpose_ended_date,
        false as is_active_consent,
        stg_requests.source_system,
        stg_requests.export_id,
        stg_requests.source_file,
        stg_requests.loaded_at

    from requests
    inner join {{ ref('stg_crm__data_subject_requests') }} as stg_requests
        on requests.request_id = stg_requests.request_id

),

subject_records as (

    select * from customer_records
    union all
    select * from customer_photo_records
    union all
    select * from prospect_records
    union all
    select * from partner_contact_records
    union all
    select * from order_records
    union all
    select * from invoice_records
    union all
    select * from wishlist_records
    union all
    select * from service_note_records
    union all
    select * from consent_records
    union all
    select * from marketing_send_records
    union all
    select * from request_records

),

-- a legal-hold entry concerns the subject of the record it holds

legal_hold_records as (

    select
        'legal_holds' as record_table,
        legal_holds.legal_hold_id as record_id,
        cast(null as {{ dbt.type_string() }}) as field_name,
        'legal_hold' as record_type,
        held.subject_type,
        held.subject_id,
        cast(null as {{ dbt.type_string() }}) as record_purpose_id,
        'release_date' as retention_event,
        case
            when legal_holds.released_at < {{ as_of_cutoff() }}
                then {{ berlin_date('legal_holds.released_at') }}
        end as retention_event_date,
        cast(null as date) as purpose_ended_date,
        false as is_active_consent,
        legal_holds.source_system,
        legal_holds.export_id,
        legal_holds.source_file,
        legal_holds.loaded_at

    from legal_holds
    left join subject_records as held
        on
            legal_holds.record_table = held.record_table
            and legal_holds.record_id = held.record_id
            and held.field_name is null

),

all_records as (

    select * from subject_records
    union all
    select * from legal_hold_records

),

final as (

    select
        case
            when all_records.field_name is null
                then {{ dbt.concat(["all_records.record_table", "':'", "all_records.record_id"]) }}
            else {{ dbt.concat([
                "all_records.record_table", "':'", "all_records.record_id",
                "':'", "all_records.field_name"
            ]) }}
        end as record_key,
        all_records.record_table,
        all_records.record_id,
        all_records.field_name,
        all_records.record_type,
        coalesce(record_types.is_master_record, false) as is_master_record,
        all_records.subject_type,
        all_records.subject_id,
        case
            when all_records.subject_id is not null
                then {{ dbt.concat(["all_records.subject_type", "':'", "all_records.subject_id"]) }}
        end as data_subject_id,
        coalesce(
            subjects.person_id,
            case
                when all_records.subject_id is not null
                    then {{ dbt.concat([
                        "all_records.subject_type", "':'", "all_records.subject_id"
                    ]) }}
            end
        ) as person_id,
        all_records.record_purpose_id,
        all_records.retention_event,
        all_records.retention_event_date,
        all_records.purpose_ended_date,
        all_records.is_active_consent,
        all_records.source_system,
        all_records.export_id,
        all_records.source_file,
        all_records.loaded_at

    from all_records
    left join record_types
        on all_records.record_type = record_types.record_type
    left join subjects
        on
            all_records.subject_type = subjects.subject_type
            and all_records.subject_id = subjects.subject_id

)

select * from final
