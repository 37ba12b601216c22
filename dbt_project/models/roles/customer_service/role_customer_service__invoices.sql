{{ config(alias='invoices') }}

-- Open (active) invoices. A paid invoice is kept only for the tax office and is restricted
-- (Art. 18 GDPR, §35 Abs. 3 BDSG), so customer service does not see it.

with

invoices as (

    select * from {{ ref('stg_crm__invoices') }}

),

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

final as (

    select
        invoices.invoice_id,
        invoices.order_id,
        invoices.customer_id,
        invoices.invoice_date,
        invoices.net_amount,
        invoices.vat_amount,
        invoices.gross_amount,
        invoices.currency,
        invoices.paid_at

    from invoices
    inner join statuses
        on
            statuses.record_type = 'invoice'
            and invoices.invoice_id = statuses.record_id
    where statuses.retention_status = 'active'

)

select * from final
