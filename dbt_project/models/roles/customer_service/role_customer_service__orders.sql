{{ config(alias='orders') }}

-- Active orders (not yet finished, or finished but still within the customer's use) with the
-- checkout comment as redacted at ingest. Finished orders kept only as commercial letters are
-- restricted (Art. 18) and not shown.

with

orders as (

    select * from {{ ref('stg_crm__orders') }}

),

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_status,
        orders.order_channel,
        orders.total_amount,
        orders.currency,
        orders.order_comment

    from orders
    inner join statuses
        on
            statuses.record_type = 'order'
            and orders.order_id = statuses.record_id
    where statuses.retention_status = 'active'

)

select * from final
