-- Live updates: every committed change to an account's subscription, credits or licenses notifies channel
-- tollgate_account with "<kind>:<account id>". Triggers catch every writer (webhook processor, checkout
-- confirmation, API calls), NOTIFY is delivered only on commit, and every replica listens.
create function tollgate_notify_account(account text, kind text) returns void language plpgsql as $$
begin
    if account is not null then
        perform pg_notify('tollgate_account', kind || ':' || account);
    end if;
end
$$;

create function tollgate_subscription_changed() returns trigger language plpgsql as $$
begin
    perform tollgate_notify_account(coalesce(
        (select c.account_id from stripe_customer c where c.id = new.customer_id),
        (select a.id from account a where a.stripe_customer_id = new.customer_id)), 'subscription');
    return null;
end
$$;
create trigger stripe_subscription_notify after insert or update on stripe_subscription
    for each row execute function tollgate_subscription_changed();

-- Tables that carry account_id themselves share one trigger; the kind is its argument.
create function tollgate_account_row_changed() returns trigger language plpgsql as $$
begin
    perform tollgate_notify_account(new.account_id, tg_argv[0]);
    return null;
end
$$;
create trigger credit_balance_notify after insert or update on credit_balance
    for each row execute function tollgate_account_row_changed('credits');
create trigger license_notify after insert or update on license
    for each row execute function tollgate_account_row_changed('license');
