-- Multi-currency and Stripe Tax (issue 13).

-- The currency Stripe fixed for a customer once it had a subscription or an invoice: the account's currency.
alter table stripe_customer add column currency text;
update stripe_customer set currency = raw::jsonb ->> 'currency';

-- Tax on an invoice (the sum of total_taxes) and on a Checkout (total_details.amount_tax), for the listings.
alter table stripe_invoice add column tax bigint;
update stripe_invoice i set tax = t.tax
    from (select id, (select sum((x ->> 'amount')::bigint) from jsonb_array_elements(raw::jsonb -> 'total_taxes') x)
          as tax from stripe_invoice where jsonb_typeof(raw::jsonb -> 'total_taxes') = 'array') t
    where t.id = i.id;
alter table stripe_checkout_session add column amount_tax bigint;
update stripe_checkout_session set amount_tax = (raw::jsonb -> 'total_details' ->> 'amount_tax')::bigint;

-- Customers' tax ids (customer.tax_id.created/updated/deleted), collected by Checkout or added in the Dashboard.
create table stripe_tax_id (
    id                  text primary key,
    customer_id         text,
    type                text,
    value               text,
    country             text,
    verification_status text,
    deleted             boolean     not null default false,
    version_created     bigint      not null,
    version_event_id    text,
    version_rank        integer     not null default 0,
    version_progress    bigint      not null default 0,
    prev_attrs          text,
    raw                 text        not null,
    updated_at          timestamptz not null default now()
);
create index stripe_tax_id_customer_idx on stripe_tax_id (customer_id);
