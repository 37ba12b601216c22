{#
  Why: the keys int_data_subjects_unioned must hold, straight from its four staging views; its
  post-hook (delete_rows_gone_upstream) deletes every row whose key is no longer among them.
  Same key expressions as the model: `<subject_type>:<subject_id>`.
#}
{% macro data_subject_keys() -%}
    select {{ dbt.concat(["'customer:'", "customer_id"]) }} as data_subject_id
    from {{ ref('stg_crm__customers') }}
    union all
    select {{ dbt.concat(["'prospect:'", "prospect_id"]) }} as data_subject_id
    from {{ ref('stg_crm__prospects') }}
    union all
    select {{ dbt.concat(["'partner_contact:'", "partner_contact_id"]) }} as data_subject_id
    from {{ ref('stg_crm__partner_contacts') }}
    union all
    select {{ dbt.concat(["'wishlist_sender:'", "wishlist_submission_id"]) }} as data_subject_id
    from {{ ref('stg_crm__wishlist_submissions') }}
{%- endmacro %}
