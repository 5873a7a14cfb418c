package dev.tollgate.licenses;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.Catalog;
import dev.tollgate.webhook.processing.EventEffect;
import dev.tollgate.webhook.processing.ParsedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Licenses follow subscriptions. Reads the subscription's mirrored state (already the newest, whatever
 * order its events came in) rather than the event: the first time it is active or trialing a license is
 * issued; afterwards its status and expiry track the subscription (past_due, then revoked when it ends).
 */
@ApplicationScoped
public class LicenseEffects implements EventEffect {

    private static final String STATE = "select s.id, s.status, s.price_id, s.current_period_end,"
            + " coalesce(c.account_id, a.id, s.metadata::json ->> 'account_id') as account_id"
            + " from stripe_subscription s left join stripe_customer c on c.id = s.customer_id"
            + " left join account a on a.stripe_customer_id = s.customer_id where s.id = any($1) order by s.id";
    private static final String ISSUE = "insert into license (key, account_id, subscription_id, plan, status, expires_at)"
            + " values ($1, $2, $3, $4, 'active', $5) on conflict (subscription_id) do update set status = 'active',"
            + " plan = excluded.plan, expires_at = excluded.expires_at, updated_at = now()"
            // Renewals and unrelated updates repeat the same state: leave the row alone then.
            + " where license.status <> 'active' or license.plan <> excluded.plan"
            + " or license.expires_at is distinct from excluded.expires_at";
    private static final String FOLLOW = "update license set status = $2, expires_at = coalesce($3, expires_at),"
            + " updated_at = now() where subscription_id = $1 and status <> $2";

    private final SecureRandom random = new SecureRandom();
    private final Catalog catalog;

    public LicenseEffects(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> events) {
        String[] subscriptions = events.stream().filter(e -> e.type().startsWith("customer.subscription."))
                .map(ParsedEvent::objectId).filter(id -> id != null).distinct().sorted().toArray(String[]::new);
        if (subscriptions.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(STATE).execute(Tuple.of((Object) subscriptions)).flatMap(rows -> {
            List<Tuple> issue = new ArrayList<>();
            List<Tuple> follow = new ArrayList<>();
            for (Row row : rows) {
                collect(row, issue, follow);
            }
            Uni<Void> issued = issue.isEmpty() ? Uni.createFrom().voidItem()
                    : connection.preparedQuery(ISSUE).executeBatch(issue).replaceWithVoid();
            return issued.flatMap(x -> follow.isEmpty() ? Uni.createFrom().voidItem()
                    : connection.preparedQuery(FOLLOW).executeBatch(follow).replaceWithVoid());
        });
    }

    /** Sorts one subscription into "issue or refresh" and "follow its status" (rows sorted by id: no deadlocks). */
    private void collect(Row subscription, List<Tuple> issue, List<Tuple> follow) {
        String status = subscription.getString("status");
        String account = subscription.getString("account_id");
        String plan = catalog.planForPrice(subscription.getString("price_id")).map(Catalog.PlanPrice::planId)
                .orElse(null);
        if (("active".equals(status) || "trialing".equals(status)) && account != null && plan != null) {
            issue.add(Tuple.tuple().addString(newKey()).addString(account).addString(subscription.getString("id"))
                    .addString(plan).addOffsetDateTime(subscription.getOffsetDateTime("current_period_end")));
        } else {
            String licenseStatus = "past_due".equals(status) ? "past_due" : "revoked";
            follow.add(Tuple.of(subscription.getString("id"), licenseStatus,
                    subscription.getOffsetDateTime("current_period_end")));
        }
    }

    /** 192 random bits, hex: unguessable, and safe in URLs and headers. */
    private String newKey() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return "tgl_" + HexFormat.of().formatHex(bytes);
    }
}
