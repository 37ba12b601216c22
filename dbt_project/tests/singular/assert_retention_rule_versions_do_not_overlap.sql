-- For one record type and retention event, at most one rule version is in force on any day
-- (valid_from/valid_to windows do not overlap, and valid_to is not before valid_from), so the
-- choice of the governing version is never ambiguous. A change in the law is a new row with a
-- new valid_from and the old row's valid_to set to the day before.

with

rules as (

    select * from {{ ref('retention_rules') }}

),

bad_windows as (

    select
        rule_id,
        record_type,
        valid_from,
        'valid_to before valid_from' as problem

    from rules
    where valid_to < valid_from

),

overlapping_versions as (

    select
        earlier.rule_id,
        earlier.record_type,
        earlier.valid_from,
        {{ dbt.concat(["'overlaps '", "later.rule_id"]) }} as problem

    from rules as earlier
    inner join rules as later
        on
            earlier.record_type = later.record_type
            and earlier.counts_from_event = later.counts_from_event
            and earlier.valid_from < later.valid_from
    where earlier.valid_to is null or earlier.valid_to >= later.valid_from

),

duplicates as (

    select
        min(rule_id) as rule_id,
        record_type,
        valid_from,
        'two versions start on the same day' as problem

    from rules
    group by record_type, counts_from_event, valid_from
    having count(*) > 1

),

final as (

    select * from bad_windows
    union all
    select * from overlapping_versions
    union all
    select * from duplicates

)

select * from final
