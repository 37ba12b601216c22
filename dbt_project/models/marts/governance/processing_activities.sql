-- Record of processing activities (Art. 30(1) GDPR), one row per purpose, derived rather than
-- written by hand: the purpose and legal basis (purposes, legal_bases seeds); the categories of
-- data subjects, record types, source tables and retention rules of the records actually tagged
-- with the purpose (int_records_tagged, int_records_retention_evaluated); the categories of
-- personal data and whether special categories may occur, from the column metadata of the dbt
-- project (config.meta.gdpr, via int_gdpr_tags_collected); and the internal recipients: the roles
-- that may see at least one of those data classes (role_access). Not derived, to be completed by
-- the controller: contact details, third-country transfers, technical and organisational
-- measures (Art. 30(1)(a), (e), (g)).

with

purposes as (

    select * from {{ ref('purposes') }}

),

legal_bases as (

    select * from {{ ref('legal_bases') }}

),

tags as (

    select * from {{ ref('int_records_tagged') }}

),

records as (

    select * from {{ ref('int_records_retention_evaluated') }}

),

column_tags as (

    select * from {{ ref('int_gdpr_tags_collected') }}

),

role_access as (

    select * from {{ ref('role_access') }}

),

tagged_records as (

    select
        tags.purpose_id,
        records.record_key,
        records.record_type,
        records.record_table,
        records.subject_type,
        coalesce(records.own_rule_id, 'none') as rule_id

    from tags
    inner join records
        on tags.record_key = records.record_key

),

record_counts as (

    select
        purpose_id,
        count(*) as record_count

    from tagged_records
    group by purpose_id

),

distinct_subject_types as (

    select distinct
        purpose_id,
        subject_type

    from tagged_records
    where subject_type is not null

),

distinct_record_types as (

    select distinct
        purpose_id,
        record_type

    from tagged_records

),

distinct_source_tables as (

    select distinct
        purpose_id,
        record_table

    from tagged_records

),

distinct_rules as (

    select distinct
        purpose_id,
        rule_id

    from tagged_records

),

subject_type_lists as (

    select
        purpose_id,
        {{ dbt.listagg('subject_type', "','", 'order by subject_type') }} as data_subject_categories

    from distinct_subject_types
    group by purpose_id

),

record_type_lists as (

    select
        purpose_id,
        {{ dbt.listagg('record_type', "','", 'order by record_type') }} as record_types

    from distinct_record_types
    group by purpose_id

),

source_table_lists as (

    select
        purpose_id,
        {{ dbt.listagg('record_table', "','", 'order by record_table') }} as source_tables

    from distinct_source_tables
    group by purpose_id

),

rule_lists as (

    select
        purpose_id,
        {{ dbt.listagg('rule_id', "','", 'order by rule_id') }} as retention_rules

    from distinct_rules
    group by purpose_id

),

-- column metadata: which data classes each purpose uses, per (node, column)

column_purposes as (

    select
        node_unique_id,
        column_name,
        tag_value as purpose_id

    from column_tags
    where
        tag_type = 'purpose'
        and column_name is not null

),

column_classes as (

    select
        column_tags.node_unique_id,
        column_tags.column_name,
        column_tags.tag_type,
        column_tags.tag_value

    from column_tags
    where
        column_tags.tag_type in ('pii_class', 'special_category')
        and column_tags.column_name is not null
        and column_tags.tag_value is not null

),

purpose_classes as (

    select distinct
        column_purposes.purpose_id,
        column_classes.tag_value as data_class

    from column_purposes
    inner join column_classes
        on
            column_purposes.node_unique_id = column_classes.node_unique_id
            and column_purposes.column_name = column_classes.column_name
    where
        column_classes.tag_type = 'pii_class'
        and column_classes.tag_value != 'none'

),

purpose_special_categories as (

    select distinct column_purposes.purpose_id

    from column_purposes
    inner join column_classes
        on
            column_purposes.node_unique_id = column_classes.node_unique_id
            and column_purposes.column_name = column_classes.column_name
    where
        column_classes.tag_type = 'special_category'
        and column_classes.tag_value = 'possible'

),

data_class_lists as (

    select
        purpose_id,
        {{ dbt.listagg('data_class', "','", 'order by data_class') }} as personal_data_classes

    from purpose_classes
    group by purpose_id

),

purpose_roles as (

    select distinct
        purpose_classes.purpose_id,
        role_access.role_id

    from purpose_classes
    inner join role_access
        on purpose_classes.data_class = role_access.data_class
    where role_access.is_allowed

),

role_lists as (

    select
        purpose_id,
        {{ dbt.listagg('role_id', "','", 'order by role_id') }} as recipient_roles

    from purpose_roles
    group by purpose_id

),

final as (

    select
        purposes.purpose_id,
        purposes.purpose_name_de,
        purposes.purpose_name_en,
        purposes.description,
        purposes.legal_basis_id,
        legal_bases.gdpr_article as legal_basis_article,
        legal_bases.name_de as legal_basis_name_de,
        purposes.legal_reference,
        purposes.is_advertising,
        purposes.requires_consent,
        subject_type_lists.data_subject_categories,
        data_class_lists.personal_data_classes,
        purpose_special_categories.purpose_id is not null as may_contain_special_categories,
        record_type_lists.record_types,
        source_table_lists.source_tables,
        coalesce(record_counts.record_count, 0) as record_count,
        rule_lists.retention_rules,
        role_lists.recipient_roles,
        {{ as_of_date() }} as as_of_date

    from purposes
    left join legal_bases
        on purposes.legal_basis_id = legal_bases.legal_basis_id
    left join record_counts
        on purposes.purpose_id = record_counts.purpose_id
    left join subject_type_lists
        on purposes.purpose_id = subject_type_lists.purpose_id
    left join record_type_lists
        on purposes.purpose_id = record_type_lists.purpose_id
    left join source_table_lists
        on purposes.purpose_id = source_table_lists.purpose_id
    left join rule_lists
        on purposes.purpose_id = rule_lists.purpose_id
    left join data_class_lists
        on purposes.purpose_id = data_class_lists.purpose_id
    left join purpose_special_categories
        on purposes.purpose_id = purpose_special_categories.purpose_id
    left join role_lists
        on purposes.purpose_id = role_lists.purpose_id

)

select * from final
