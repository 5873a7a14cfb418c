-- Which account a Stripe customer belongs to can become known after its subscription arrived (customer
-- and subscription events are not ordered), and an account learns its customer at its first checkout.
-- Either changes what the account's subscription is, so live streams and the entitlements cache
-- (BillingStateCache) must hear of it like of any other subscription change.
create function tollgate_customer_account_changed() returns trigger language plpgsql as $$
begin
    perform tollgate_notify_account(new.account_id, 'subscription');
    return null;
end
$$;
create trigger stripe_customer_notify_insert after insert on stripe_customer
    for each row when (new.account_id is not null) execute function tollgate_customer_account_changed();
create trigger stripe_customer_notify_update after update on stripe_customer
    for each row when (new.account_id is distinct from old.account_id)
    execute function tollgate_customer_account_changed();

create function tollgate_account_customer_changed() returns trigger language plpgsql as $$
begin
    perform tollgate_notify_account(new.id, 'subscription');
    return null;
end
$$;
create trigger account_notify_customer after update on account
    for each row when (new.stripe_customer_id is distinct from old.stripe_customer_id)
    execute function tollgate_account_customer_changed();
create trigger account_notify_customer_insert after insert on account
    for each row when (new.stripe_customer_id is not null) execute function tollgate_account_customer_changed();
