package dev.tollgate.webhook.inbox;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.tollgate.webhook.WebhookConfig;

/**
 * Not ready when the inbox is hopelessly behind (the oldest pending event is older than
 * max-pending-age): the instance is up but its answers about billing state would be stale. The
 * database itself is checked by Quarkus' own datasource readiness check.
 */
@Readiness
@ApplicationScoped
public class InboxReadinessCheck implements HealthCheck {

    private final InboxStats stats;
    private final WebhookConfig config;

    public InboxReadinessCheck(InboxStats stats, WebhookConfig config) {
        this.stats = stats;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        long limit = config.processor().maxPendingAge().toSeconds();
        long age = stats.oldestPendingSeconds();
        return HealthCheckResponse.named("webhook-inbox")
                .status(!config.processor().enabled() || age <= limit)
                .withData("pending", stats.pending())
                .withData("oldestPendingSeconds", age)
                .withData("maxPendingAgeSeconds", limit)
                .build();
    }
}
