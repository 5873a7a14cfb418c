package dev.tollgate.reconciliation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.webhook.processing.DirectApplier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Imports an existing Stripe account into the mirrors: lists each resource page by page and applies
 * every object through {@link DirectApplier}, so the version guard keeps any newer state webhooks
 * already brought. Runs in the background in the replica that started it, one run at a time across
 * replicas; after each page the resource's position is saved, so a run that stops (an error, a
 * restart) continues from the next page when started again, and a finished resource is not listed
 * again until a restart is asked for.
 */
@ApplicationScoped
public class Backfill {

    private static final Logger LOG = Logger.getLogger(Backfill.class);

    /** The state an operator sees. */
    public record Status(boolean running, List<BackfillProgress.Resource> resources) {
    }

    private final StripeLists lists;
    private final DirectApplier applier;
    private final BackfillProgress progress;
    private final JobLocks locks;
    private final ReconciliationConfig.Backfill config;

    public Backfill(StripeLists lists, DirectApplier applier, BackfillProgress progress, JobLocks locks,
            ReconciliationConfig config) {
        this.lists = lists;
        this.applier = applier;
        this.progress = progress;
        this.locks = locks;
        this.config = config.backfill();
    }

    /**
     * Starts a run in the background; false when one is already running in some replica. With
     * {@code restart}, every resource is listed from the beginning again.
     */
    public Uni<Boolean> start(boolean restart) {
        return locks.tryAcquire(JobLocks.Job.BACKFILL).flatMap(held -> {
            if (held.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            Uni<Void> prepared = restart ? progress.reset() : progress.all().replaceWithVoid();
            return prepared.onFailure().call(e -> held.get().release()).invoke(() -> runAll()
                    .eventually(() -> held.get().release())
                    .subscribe().with(
                            x -> LOG.info("Backfill finished"),
                            e -> LOG.warnf("Backfill stopped; start it again to continue: %s", e.getMessage())))
                    .replaceWith(true);
        });
    }

    public Uni<Status> status() {
        return locks.running(JobLocks.Job.BACKFILL)
                .flatMap(running -> progress.all().map(resources -> new Status(running, resources)));
    }

    private Uni<Void> runAll() {
        return progress.all().flatMap(rows -> {
            Map<String, BackfillProgress.Resource> byName = rows.stream()
                    .collect(Collectors.toMap(BackfillProgress.Resource::resource, Function.identity()));
            return Multi.createFrom().iterable(Arrays.asList(BackfillResource.values()))
                    .onItem().transformToUniAndConcatenate(resource -> {
                        BackfillProgress.Resource state = byName.get(resource.resource());
                        return state.done() ? Uni.createFrom().voidItem() : importResource(resource, state);
                    })
                    .collect().last().replaceWithVoid();
        });
    }

    private Uni<Void> importResource(BackfillResource resource, BackfillProgress.Resource state) {
        LOG.infof("Backfill of %s %s", resource.resource(),
                state.startingAfter() == null ? "starts" : "continues after " + state.startingAfter());
        return progress.started(resource)
                .flatMap(x -> lists.pages("backfill." + resource.resource() + ".list", resource.path(),
                        state.startingAfter(), after -> resource.query(config.pageSize(), after))
                        .onItem().transformToUniAndConcatenate(page -> applier
                                .apply(page.data().stream().flatMap(o -> resource.reads(o).stream()).toList())
                                .flatMap(y -> progress.pageDone(resource, page.lastId(), page.data().size(),
                                        !page.hasMore() || page.lastId() == null)))
                        .collect().last().replaceWithVoid())
                .onFailure().call(e -> progress.failed(resource, describe(e)));
    }

    private static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
