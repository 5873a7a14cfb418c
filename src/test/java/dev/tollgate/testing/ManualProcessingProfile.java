package dev.tollgate.testing;

import java.util.Map;

import dev.tollgate.webhook.processing.EventProcessor;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The instance only ingests (its processor loop is off), so tests drive {@link EventProcessor} by hand
 * and can play several replicas, or a crash, against one database. Small batches make replicas interleave.
 */
public class ManualProcessingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tollgate.webhook.processor.enabled", "false", "tollgate.webhook.processor.batch-size", "7");
    }
}
