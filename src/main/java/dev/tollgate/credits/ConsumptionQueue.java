package dev.tollgate.credits;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.credits.CreditLedger.Debit;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Gathers concurrent consumptions of the same account while one of its batches is in the database, and
 * sends them as the next batch: one transaction at a time per account and instance, each taking
 * everything that arrived meanwhile (up to a bound). An idle account's debit goes out at once, alone.
 * Other instances' batches for the account wait on its balance row lock as before.
 */
@ApplicationScoped
public class ConsumptionQueue {

    private static final Logger LOG = Logger.getLogger(ConsumptionQueue.class);
    static final int MAX_BATCH = 100;

    private record Pending(ConsumptionBatch.Request request, UniEmitter<? super ConsumptionBatch.Outcome> answer) {
    }

    /** One account's waiting debits; {@code retired} once removed from the map, so no one adds to it. */
    private static final class AccountQueue {
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        boolean running;
        boolean retired;
    }

    private final ConcurrentHashMap<String, AccountQueue> queues = new ConcurrentHashMap<>();
    private final ConsumptionBatch batch;
    private final CreditLedger ledger;

    public ConsumptionQueue(ConsumptionBatch batch, CreditLedger ledger) {
        this.batch = batch;
        this.ledger = ledger;
    }

    /** Takes {@code amount} credits once per {@code sourceKey}; same contract as {@link CreditLedger#debit}. */
    public Uni<Debit> debit(String accountId, long amount, String sourceKey, String reason) {
        return consume(accountId, amount, sourceKey, reason, null).map(Consumed::debit);
    }

    /** A debit and the part of it recorded as overage usage (0 when the balance covered it all). */
    public record Consumed(Debit debit, long overage) {
    }

    /**
     * As {@link #debit}, but when {@code overage} is given and the balance is short, takes what there is and
     * records the rest as usage of the overage meter, in the same transaction, once per key.
     */
    public Uni<Consumed> consume(String accountId, long amount, String sourceKey, String reason,
            OverageBilling.Target overage) {
        return Uni.createFrom().<ConsumptionBatch.Outcome> emitter(emitter -> enqueue(accountId,
                new Pending(new ConsumptionBatch.Request(amount, sourceKey, reason, overage), emitter)))
                .map(outcome -> new Consumed(outcome.debit(), outcome.overage()));
    }

    private void enqueue(String accountId, Pending pending) {
        while (true) {
            AccountQueue queue = queues.computeIfAbsent(accountId, id -> new AccountQueue());
            List<Pending> next;
            synchronized (queue) {
                if (queue.retired) {
                    continue;
                }
                queue.waiting.add(pending);
                if (queue.running) {
                    return;
                }
                queue.running = true;
                next = drain(queue);
            }
            send(accountId, queue, next);
            return;
        }
    }

    private void send(String accountId, AccountQueue queue, List<Pending> pendings) {
        List<ConsumptionBatch.Request> requests = pendings.stream().map(Pending::request).toList();
        batch.apply(accountId, requests).subscribe().with(answers -> {
            for (int i = 0; i < pendings.size(); i++) {
                pendings.get(i).answer().complete(answers.get(i));
            }
            sendNext(accountId, queue);
        }, failure -> oneByOne(accountId, queue, pendings, failure));
    }

    /**
     * A batch fails as a whole, for instance when another instance inserted one of its keys first; each
     * debit then goes alone, where such a key simply answers as a repeat, and a failure stays that
     * debit's own.
     */
    private void oneByOne(String accountId, AccountQueue queue, List<Pending> pendings, Throwable failure) {
        LOG.debugf("Consumption batch of %d for one account failed (%s); applying them one by one", pendings.size(),
                failure.toString());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Pending pending : pendings) {
            ConsumptionBatch.Request request = pending.request();
            chain = chain.flatMap(x -> alone(accountId, request)
                    .onItemOrFailure().invoke((debit, error) -> {
                        if (error != null) {
                            pending.answer().fail(error);
                        } else {
                            pending.answer().complete(debit);
                        }
                    })
                    .onFailure().recoverWithNull().replaceWithVoid());
        }
        chain.subscribe().with(x -> sendNext(accountId, queue), e -> sendNext(accountId, queue));
    }

    /**
     * One debit on its own. One that may go into overage goes as a batch of one: its key's first outcome may
     * be a usage record without a ledger entry, which only the batch reads; the transaction that made this
     * batch fail has committed by then, so the retry sees it and answers it as a repeat.
     */
    private Uni<ConsumptionBatch.Outcome> alone(String accountId, ConsumptionBatch.Request request) {
        if (request.overage() != null) {
            return batch.apply(accountId, List.of(request)).map(answers -> answers.get(0));
        }
        return ledger.debit(accountId, request.amount(), request.sourceKey(), request.reason())
                .map(debit -> new ConsumptionBatch.Outcome(debit, 0));
    }

    private void sendNext(String accountId, AccountQueue queue) {
        List<Pending> next;
        synchronized (queue) {
            if (queue.waiting.isEmpty()) {
                queue.running = false;
                queue.retired = true;
                queues.remove(accountId, queue);
                return;
            }
            next = drain(queue);
        }
        send(accountId, queue, next);
    }

    private static List<Pending> drain(AccountQueue queue) {
        List<Pending> next = new ArrayList<>(Math.min(queue.waiting.size(), MAX_BATCH));
        while (!queue.waiting.isEmpty() && next.size() < MAX_BATCH) {
            next.add(queue.waiting.poll());
        }
        return next;
    }
}
