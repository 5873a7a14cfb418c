package dev.tollgate.admin.catalog;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What catalog sync found, created or would create. */
public record CatalogSyncReport(boolean dryRun, String currency, Map<String, Long> summary, List<Item> items) {

    public static final String EXISTS = "exists";
    public static final String CREATED = "created";
    public static final String WOULD_CREATE = "would_create";
    public static final String MISSING_AMOUNT = "missing_amount";

    /**
     * One sold price.
     *
     * @param kind plan or pack; meter or metered_price for metered plans
     * @param interval monthly or yearly (plans only)
     * @param action exists, created, would_create or missing_amount
     * @param productAction the same for the price's product, when a price had to be created
     * @param note what differs from the configuration, or what to configure next
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String kind, String id, String interval, String action, String priceId, String productId,
            String lookupKey, Long amount, String productAction, String note) {
    }
}
