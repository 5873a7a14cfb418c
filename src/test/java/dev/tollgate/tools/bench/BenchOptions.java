package dev.tollgate.tools.bench;

import java.util.HashMap;
import java.util.Map;

/** The benchmarks' command line: {@code --name value} pairs with defaults. */
record BenchOptions(Map<String, String> values) {

    static BenchOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return new BenchOptions(values);
    }

    int intOption(String name, int fallback) {
        return Integer.parseInt(values.getOrDefault(name, String.valueOf(fallback)));
    }

    String option(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
