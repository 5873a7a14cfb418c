package dev.tollgate.webhook.processing;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.mirror.MirrorSpec;
import dev.tollgate.mirror.VersionGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Applies Stripe objects that Tollgate read or changed itself (a confirmed Checkout, a canceled
 * subscription) exactly as if their webhook had arrived: same locks, version guard and idempotent
 * effects. The version is stamped with the time it was read, so the webhook that follows is a no-op
 * and a later change still wins.
 */
@ApplicationScoped
public class DirectApplier {

    /** One object as Stripe answered it, and the event type whose effects it should have. */
    public record Read(String eventType, JsonNode object, MirrorSpec spec) {
    }

    private final EventApplier applier;
    private final Pool pool;

    public DirectApplier(EventApplier applier, Pool pool) {
        this.applier = applier;
        this.pool = pool;
    }

    public Uni<Void> apply(List<Read> reads) {
        long now = System.currentTimeMillis() / 1000;
        List<ParsedEvent> events = reads.stream()
                .map(r -> new ParsedEvent(VersionGuard.readSourceId(r.object().path("id").asText()), r.eventType(),
                        now, null, 0, r.object(), null, r.spec(), null, null))
                .toList();
        return pool.withTransaction(connection -> applier.apply(connection, events));
    }
}
