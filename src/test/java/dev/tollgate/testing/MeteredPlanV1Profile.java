package dev.tollgate.testing;

import java.util.HashMap;
import java.util.Map;

/** {@link MeteredPlanProfile} with usage delivered through Stripe's v1 meter events, one event per request. */
public class MeteredPlanV1Profile extends MeteredPlanProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("tollgate.usage.sender.api", "meter-events");
        return overrides;
    }
}
