package dev.tollgate.config;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;

/** Whether this process runs under production's rules: the production jar always, tests when a profile says so. */
public final class ProductionRules {

    private ProductionRules() {
    }

    public static boolean apply() {
        return LaunchMode.current() == LaunchMode.NORMAL || ConfigProvider.getConfig()
                .getOptionalValue(ProductionSettingsCheck.ENFORCE, Boolean.class).orElse(false);
    }
}
