-- Mirror of Stripe discounts (customer.discount.created/updated/deleted, and the discounts Tollgate applies to
-- a subscription itself). A discount belongs to a customer, or to one of its subscriptions when subscription_id
-- is set. The coupon's terms are copied when the object carries the coupon expanded (percent_off, amount_off,
-- duration); otherwise only its id is known.
create table stripe_discount (
    id                 text primary key,
    customer_id        text,
    subscription_id    text,
    promotion_code_id  text,
    promotion_code     text,
    coupon_id          text,
    coupon_name        text,
    percent_off        double precision,
    amount_off         bigint,
    currency           text,
    duration           text,
    duration_in_months integer,
    start_at           timestamptz,
    end_at             timestamptz,
    deleted            boolean     not null default false,
    version_created    bigint      not null,
    version_event_id   text,
    version_rank       integer     not null default 0,
    version_progress   bigint      not null default 0,
    prev_attrs         text,
    raw                text        not null,
    updated_at         timestamptz not null default now()
);
create index stripe_discount_customer_idx on stripe_discount (customer_id);
create index stripe_discount_subscription_idx on stripe_discount (subscription_id);
