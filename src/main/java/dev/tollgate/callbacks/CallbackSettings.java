package dev.tollgate.callbacks;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells the database triggers (V8) what this deployment configured: whether callbacks are on, and the
 * "credits low" threshold. Written at every start-up, so all replicas must share the configuration.
 */
@ApplicationScoped
public class CallbackSettings {

    private static final Logger LOG = Logger.getLogger(CallbackSettings.class);
    private static final String UPSERT = "insert into callback_settings (singleton, enabled, credits_low_threshold)"
            + " values (true, $1, $2) on conflict (singleton) do update set enabled = excluded.enabled,"
            + " credits_low_threshold = excluded.credits_low_threshold, updated_at = now()";

    private final CallbacksConfig config;
    private final Pool pool;

    public CallbackSettings(CallbacksConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
    }

    /** The configured receivers, blanks dropped. */
    public List<String> urls() {
        return config.urls().orElse(List.of()).stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
    }

    public List<String> secrets() {
        return config.secret().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean enabled() {
        return !urls().isEmpty();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled() && secrets().isEmpty()) {
            // Unsigned callbacks would let anyone who can reach the receiver forge billing changes.
            throw new IllegalStateException(
                    "tollgate.callbacks.urls is set but tollgate.callbacks.secret (TOLLGATE_CALLBACKS_SECRET) is not");
        }
        if (config.maxAttempts() < 1) {
            throw new IllegalStateException("tollgate.callbacks.max-attempts must be at least 1");
        }
        pool.preparedQuery(UPSERT).execute(Tuple.of(enabled(), Math.max(config.creditsLowThreshold(), 0)))
                .await().atMost(Duration.ofSeconds(30));
        if (enabled()) {
            LOG.infof("Callbacks on: %d receiver(s), credits low below %d", urls().size(),
                    config.creditsLowThreshold());
        }
    }
}
