package dev.tollgate.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Turns the logical event order into what Stripe really delivers: a share of events arrives late
 * (after newer events of the same object) and a share arrives twice, some copies right next to the
 * original so they race each other.
 */
public final class StreamShaper {

    private StreamShaper() {
    }

    public static List<Delivery> shape(List<Delivery> logical, double duplicateShare, double reorderShare,
            long seed) {
        Random random = new Random(seed);
        List<Delivery> order = new ArrayList<>(logical);
        int reorders = (int) Math.round(logical.size() * reorderShare);
        for (int n = 0; n < reorders; n++) {
            int from = random.nextInt(order.size());
            int to = Math.min(order.size() - 1, from + 20 + random.nextInt(400));
            order.add(to, order.remove(from));
        }
        int duplicates = (int) Math.round(logical.size() * duplicateShare);
        for (int n = 0; n < duplicates; n++) {
            int from = random.nextInt(order.size());
            int gap = random.nextInt(4) == 0 ? 1 : random.nextInt(200);
            order.add(Math.min(order.size(), from + gap), order.get(from));
        }
        return order;
    }
}
