package dev.tollgate.testing;

/** Reads one sample from the Prometheus endpoint (management port), as a scrape would. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of {@code name} whose labels contain every {@code labels} fragment (key="value"); NaN if absent. */
    public static double value(String name, String... labels) {
        String body = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }
}
