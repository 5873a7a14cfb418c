package dev.tollgate.webhook.processing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.tollgate.mirror.MirrorSpec;
import dev.tollgate.mirror.MirrorSpecs;
import dev.tollgate.mirror.MirrorWriter;
import dev.tollgate.mirror.ObjectLocks;
import dev.tollgate.mirror.ObjectVersion;
import dev.tollgate.webhook.WebhookMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies a batch of claimed inbox events inside the caller's transaction: locks the objects they
 * touch, folds every object's versions into its mirror row, then runs the business effects.
 */
@ApplicationScoped
public class EventApplier {

    private static final String QUEUE_REFRESH = "insert into object_refresh (object_type, object_id) values ($1, $2)"
            + " on conflict do nothing";

    private final ObjectMapper mapper;
    private final ObjectLocks locks;
    private final MirrorWriter mirrors;
    private final Instance<EventEffect> effects;
    private final WebhookMetrics metrics;
    private final LivemodeGuard livemode;

    public EventApplier(ObjectMapper mapper, ObjectLocks locks, MirrorWriter mirrors, Instance<EventEffect> effects,
            WebhookMetrics metrics, LivemodeGuard livemode) {
        this.mapper = mapper;
        this.locks = locks;
        this.mirrors = mirrors;
        this.effects = effects;
        this.metrics = metrics;
        this.livemode = livemode;
    }

    /**
     * One streaming pass over the payload: trees only for data.object and data.previous_attributes,
     * and the object's own bytes kept as its raw text, so the mirror stores what Stripe sent without
     * serializing the tree again.
     */
    public ParsedEvent parse(ClaimedEvent claimed) {
        byte[] payload = claimed.payload();
        JsonNode object = MissingNode.getInstance();
        JsonNode previous = null;
        String objectJson = null;
        String apiVersion = null;
        try (JsonParser parser = mapper.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("api_version") && value == JsonToken.VALUE_STRING) {
                    apiVersion = parser.getText();
                } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String dataField = parser.currentName();
                        JsonToken dataValue = parser.nextToken();
                        if (dataField.equals("object") && dataValue == JsonToken.START_OBJECT) {
                            int start = (int) parser.currentTokenLocation().getByteOffset();
                            object = mapper.readTree(parser);
                            int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
                            objectJson = new String(payload, start, end - start, StandardCharsets.UTF_8);
                        } else if (dataField.equals("previous_attributes") && dataValue == JsonToken.START_OBJECT) {
                            previous = mapper.readTree(parser);
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Stored payload of " + claimed.id() + " is not a readable event", e);
        }
        MirrorSpec spec = MirrorSpecs.forObject(object.path("object").asText(null));
        // Checked here, where webhooks and catch-up meet: whichever path stored it, an event of the other
        // mode is ignored with its reason and neither mirrored nor applied.
        String ignoredReason = livemode.mismatch(claimed.livemode());
        return new ParsedEvent(claimed.id(), claimed.type(), claimed.created(), apiVersion, claimed.seq(), object,
                previous, spec, objectJson, ignoredReason);
    }

    /** Applies the handled events of the batch; ignored ones need nothing. */
    public Uni<Void> apply(SqlConnection connection, List<ParsedEvent> batch) {
        List<ParsedEvent> handled = batch.stream().filter(ParsedEvent::handled)
                .sorted(Comparator.comparingLong(ParsedEvent::created).thenComparingLong(ParsedEvent::seq))
                .toList();
        if (handled.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<MirrorSpec, List<ObjectVersion>> bySpec = new LinkedHashMap<>();
        List<String> lockKeys = new ArrayList<>();
        for (ParsedEvent event : handled) {
            String objectId = event.objectId();
            if (objectId == null) {
                continue; // e.g. invoice.upcoming: a preview, not an object to mirror
            }
            lockKeys.add(ObjectLocks.objectKey(event.spec().objectType(), objectId));
            bySpec.computeIfAbsent(event.spec(), s -> new ArrayList<>()).add(version(event));
        }
        return locks.lock(connection, lockKeys)
                .flatMap(x -> Multi.createFrom().iterable(bySpec.entrySet())
                        .onItem().transformToUniAndConcatenate(e -> writeMirror(connection, e.getKey(), e.getValue()))
                        .collect().last())
                .flatMap(x -> runEffects(connection, handled));
    }

    private Uni<Void> writeMirror(SqlConnection connection, MirrorSpec spec, List<ObjectVersion> versions) {
        return mirrors.write(connection, spec, versions).flatMap(result -> {
            if (result.ambiguous().isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            metrics.ambiguousTies(spec.objectType(), result.ambiguous().size());
            List<Tuple> rows = result.ambiguous().stream().distinct().map(id -> Tuple.of(spec.objectType(), id)).toList();
            return connection.preparedQuery(QUEUE_REFRESH).executeBatch(rows).replaceWithVoid();
        });
    }

    private Uni<Void> runEffects(SqlConnection connection, List<ParsedEvent> handled) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EventEffect effect : effects) {
            chain = chain.flatMap(x -> effect.apply(connection, handled));
        }
        return chain;
    }

    private static ObjectVersion version(ParsedEvent event) {
        MirrorSpec spec = event.spec();
        JsonNode object = event.object();
        // customer.deleted and friends carry the last full object; the event type says it is gone.
        boolean deleted = event.type().endsWith(".deleted") || object.path("deleted").asBoolean(false);
        return new ObjectVersion(event.objectId(), event.created(), event.id(), spec.rank(object, event.type()),
                spec.progress(object), event.previousAttributes(), object, deleted, event.objectJson());
    }
}
