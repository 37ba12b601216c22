-- Who can see what (second seed interview: a report, on demand, of which role has access to
-- which personal data; Art. 25(2) GDPR): for every role and data class, whether the policy
-- (role_access seed) allows it and which columns of the role's views actually expose it,
-- read from the column metadata of the role views (int_gdpr_tags_collected). A class counts as
-- exposed by a column whose pii_class is that class; special_category by a column whose
-- special_category is 'possible'. is_compliant is false when a view exposes a class the role may
-- not see; the singular test assert_role_views_expose_only_allowed_data_classes fails the build
-- then.

with

role_access as (

    select * from {{ ref('role_access') }}

),

column_tags as (

    select * from {{ ref('int_gdpr_tags_collected') }}

),

role_view_columns as (

    select
        schema_name,
        node_name,
        column_name,
        case
            when tag_type = 'special_category' then 'special_category'
            else tag_value
        end as data_class

    from column_tags
    where
        layer = 'roles'
        and column_name is not null
        and (
            (tag_type = 'pii_class' and tag_value is not null)
            or (tag_type = 'special_category' and tag_value = 'possible')
        )

),

exposures as (

    select
        schema_name,
        data_class,
        count(*) as exposed_column_count,
        {{ dbt.listagg(
            dbt.concat(["node_name", "'.'", "column_name"]), "','",
            'order by node_name, column_name'
        ) }} as exposed_columns

    from role_view_columns
    group by schema_name, data_class

),

final as (

    select
        {{ dbt.concat(["role_access.role_id", "'|'", "role_access.data_class"]) }}
            as role_access_key,
        role_access.role_id,
        role_access.schema_name,
        role_access.data_class,
        role_access.is_allowed,
        coalesce(exposures.exposed_column_count, 0) as exposed_column_count,
        exposures.exposed_columns,
        role_access.is_allowed or coalesce(exposures.exposed_column_count, 0) = 0
            as is_compliant,
        role_access.legal_reference,
        role_access.description

    from role_access
    left join exposures
        on
            role_access.schema_name = exposures.schema_name
            and role_access.data_class = exposures.data_class

)

select * from final
