{{ config(
    materialized='incremental',
    unique_key='data_subject_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_rows_gone_upstream(this, 'data_subject_id', data_subject_keys()) }}"
) }}

-- One row per data subject record across the four kinds of subject (customers, prospects,
-- partner contacts, wish-list senders), with provenance. person_id links the records of one
-- person across kinds where the CRM itself links them (a prospect converted into a customer, a
-- wish-list sender who is a known customer); no fuzzy matching on names or e-mails.
-- Incremental (issue 16): each row depends on its own landing row only and not on as_of, so a
-- nightly run reads the rows ingest loaded since the last run (macro loaded_since_last_run),
-- replaces them by data_subject_id and deletes keys gone upstream (post-hook).

with

customers as (

    select * from {{ ref('stg_crm__customers') }}
    where {{ loaded_since_last_run() }}

),

prospects as (

    select * from {{ ref('stg_crm__prospects') }}
    where {{ loaded_since_last_run() }}

),

partner_contacts as (

    select * from {{ ref('stg_crm__partner_contacts') }}
    where {{ loaded_since_last_run() }}

),

wishlist_submissions as (

    select * from {{ ref('stg_crm__wishlist_submissions') }}
    where {{ loaded_since_last_run() }}

),

customer_subjects as (

    select
        'customer' as subject_type,
        customer_id as subject_id,
        {{ dbt.concat(["'customer:'", "customer_id"]) }} as person_id,
        customer_id as linked_customer_id,
        salutation,
        first_name,
        last_name,
        email,
        phone,
        cast(null as {{ dbt.type_string() }}) as company_name,
        birth_date,
        billing_street as street,
        billing_postcode as postcode,
        billing_city as city,
        billing_country as country,
        preferred_language,
        source_channel,
        created_at as first_seen_at,
        updated_at as last_changed_at,
        source_system,
        export_id,
        source_file,
        loaded_at

    from customers

),

prospect_subjects as (

    select
        'prospect' as subject_type,
        prospect_id as subject_id,
        case
            when converted_customer_id is not null
                then {{ dbt.concat(["'customer:'", "converted_customer_id"]) }}
            else {{ dbt.concat(["'prospect:'", "prospect_id"]) }}
        end as person_id,
        converted_customer_id as linked_customer_id,
        salutation,
        first_name,
        last_name,
        email,
        phone,
        company_name,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as street,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as preferred_language,
        source_channel,
        created_at as first_seen_at,
        updated_at as last_changed_at,
        source_system,
        export_id,
        source_file,
        loaded_at

    from prospects

),

partner_contact_subjects as (

    select
        'partner_contact' as subject_type,
        partner_contact_id as subject_id,
        {{ dbt.concat(["'partner_contact:'", "partner_contact_id"]) }} as person_id,
        cast(null as {{ dbt.type_string() }}) as linked_customer_id,
        salutation,
        first_name,
        last_name,
        email,
        phone,
        company_name,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as street,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as preferred_language,
        'partner' as source_channel,
        created_at as first_seen_at,
        updated_at as last_changed_at,
        source_system,
        export_id,
        source_file,
        loaded_at

    from partner_contacts

),

wishlist_sender_subjects as (

    select
        'wishlist_sender' as subject_type,
        wishlist_submission_id as subject_id,
        case
            when customer_id is not null
                then {{ dbt.concat(["'customer:'", "customer_id"]) }}
            else {{ dbt.concat(["'wishlist_sender:'", "wishlist_submission_id"]) }}
        end as person_id,
        customer_id as linked_customer_id,
        cast(null as {{ dbt.type_string() }}) as salutation,
        sender_first_name as first_name,
        sender_last_name as last_name,
        sender_email as email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as company_name,
        sender_birth_date as birth_date,
        cast(null as {{ dbt.type_string() }}) as street,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as preferred_language,
        'web_form' as source_channel,
        submitted_at as first_seen_at,
        submitted_at as last_changed_at,
        source_system,
        export_id,
        source_file,
        loaded_at

    from wishlist_submissions

),

unioned as (

    select * from customer_subjects
    union all
    select * from prospect_subjects
    union all
    select * from partner_contact_subjects
    union all
    select * from wishlist_sender_subjects

),

final as (

    select
        {{ dbt.concat(["subject_type", "':'", "subject_id"]) }} as data_subject_id,
        *

    from unioned

)

select * from final
