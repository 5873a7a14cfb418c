package dev.tollgate.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.net.ApiResource;

import dev.tollgate.common.ProblemException;
import dev.tollgate.stripe.StripeGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Settles the ties {@link VersionGuard} cannot: objects queued in {@code object_refresh} are read
 * back from Stripe and the answer is written as a version stamped with the time it was read, so it
 * beats every event of an earlier second and loses to any later one. Without a Stripe key the queue
 * just waits (and is visible to operators); the stored version stays meanwhile.
 */
@ApplicationScoped
public class ObjectRefresher {

    private static final Logger LOG = Logger.getLogger(ObjectRefresher.class);
    private static final int BATCH = 20;

    /** Stripe's retrieve endpoint per mirrored object type. */
    private static final Map<String, String> PATHS = Map.ofEntries(
            Map.entry("customer", "/v1/customers/"),
            Map.entry("subscription", "/v1/subscriptions/"),
            Map.entry("invoice", "/v1/invoices/"),
            Map.entry("payment_intent", "/v1/payment_intents/"),
            Map.entry("charge", "/v1/charges/"),
            Map.entry("refund", "/v1/refunds/"),
            Map.entry("dispute", "/v1/disputes/"),
            Map.entry("checkout.session", "/v1/checkout/sessions/"),
            Map.entry("product", "/v1/products/"),
            Map.entry("price", "/v1/prices/"),
            Map.entry("tax_id", "/v1/tax_ids/"),
            Map.entry("payment_method", "/v1/payment_methods/"));

    private final Pool pool;
    private final StripeGateway stripe;
    private final ObjectLocks locks;
    private final MirrorWriter mirrors;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    public ObjectRefresher(Pool pool, StripeGateway stripe, ObjectLocks locks, MirrorWriter mirrors,
            ObjectMapper mapper, MeterRegistry registry) {
        this.pool = pool;
        this.stripe = stripe;
        this.locks = locks;
        this.mirrors = mirrors;
        this.mapper = mapper;
        this.registry = registry;
    }

    @Scheduled(every = "${tollgate.webhook.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshQueued() {
        if (!stripe.configured()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("select object_type, object_id from object_refresh order by requested_at limit $1")
                .execute(Tuple.of(BATCH))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(this::refreshOne)
                .collect().last().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Refreshing queued objects failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> refreshOne(Row queued) {
        String type = queued.getString("object_type");
        String id = queued.getString("object_id");
        MirrorSpec spec = MirrorSpecs.forObject(type);
        String path = PATHS.get(type);
        if (spec == null || path == null) {
            return dequeue(type, id);
        }
        return stripe.call("refresh." + type, client -> client
                .rawRequest(ApiResource.RequestMethod.GET, path + id, null).body())
                .flatMap(body -> write(spec, id, body))
                .flatMap(x -> dequeue(type, id))
                .invoke(() -> registry.counter("tollgate.webhook.objects.refreshed", "object", type).increment())
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    if (e.problem().status() == 404) {
                        return dequeue(type, id); // gone at Stripe: nothing to settle
                    }
                    LOG.warnf("Could not re-read %s %s from Stripe; will try again: %s", type, id, e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> write(MirrorSpec spec, String id, String body) {
        JsonNode object = parse(body);
        long readAt = System.currentTimeMillis() / 1000;
        boolean deleted = object.path("deleted").asBoolean(false);
        ObjectVersion version = new ObjectVersion(id, readAt, VersionGuard.readSourceId(id),
                spec.rank(object, "refresh"), spec.progress(object), null, object, deleted, body);
        return pool.withTransaction(connection -> locks
                .lock(connection, List.of(ObjectLocks.objectKey(spec.objectType(), id)))
                .flatMap(x -> mirrors.write(connection, spec, List.of(version))))
                .replaceWithVoid();
    }

    private Uni<Void> dequeue(String type, String id) {
        return pool.preparedQuery("delete from object_refresh where object_type = $1 and object_id = $2")
                .execute(Tuple.of(type, id)).replaceWithVoid();
    }

    private JsonNode parse(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Stripe answered with something that is not JSON", e);
        }
    }
}
