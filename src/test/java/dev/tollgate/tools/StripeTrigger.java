package dev.tollgate.tools;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.devmode.Scenario;
import dev.tollgate.devmode.ScenarioEvents;
import dev.tollgate.devmode.WebhookSender;
import dev.tollgate.testing.StripeEvents;

/**
 * Sends signed, realistic Stripe events to a running Tollgate, like {@code stripe trigger}, without a
 * Stripe account. See README "Sending test events".
 *
 * <pre>
 * ./mvnw -q test-compile exec:java@trigger -Dexec.args="invoice.paid customer.subscription.updated --account acct-42"
 * </pre>
 */
public final class StripeTrigger {

    private StripeTrigger() {
    }

    public static void main(String[] args) throws Exception {
        List<String> types = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                types.add(args[i]);
            }
        }
        if (types.size() == 1 && Scenario.named(types.get(0)).isPresent()) {
            System.exit(playScenario(Scenario.named(types.get(0)).get(), options));
        }
        // "--help", a lone option or a word that is no event type: show how it is used.
        if (types.isEmpty() || types.stream().anyMatch(t -> t.startsWith("--") || !t.contains("."))) {
            System.err.println("usage: StripeTrigger <scenario> [--account acct-1] [--ref 1] [--url http://localhost:8080]"
                    + " [--secret whsec_...]");
            System.err.println("       StripeTrigger <event.type>... [--url http://localhost:8080] [--secret whsec_...]"
                    + " [--account acct-1] [--customer cus_...]");
            System.err.println("scenarios: " + Scenario.labels());
            System.err.println("event families: " + TriggerEvents.prefixes() + " (other types are sent as customer"
                    + " objects and stored as ignored)");
            System.exit(2);
        }
        String url = url(options);
        String secret = secret(options);
        String account = options.getOrDefault("account", "acct-demo");
        String customer = options.getOrDefault("customer", "cus_" + account.replaceAll("[^A-Za-z0-9]", ""));
        String suffix = customer.substring(4);
        TriggerEvents.Ids ids = new TriggerEvents.Ids(account, customer, "sub_" + suffix, "in_" + suffix,
                "pi_" + suffix, "ch_" + suffix);

        HttpClient client = HttpClient.newHttpClient();
        int failures = 0;
        for (String type : types) {
            ObjectNode object = TriggerEvents.objectFor(type, ids);
            if (object == null) {
                object = dev.tollgate.testing.StripeObjects.customer(customer, account);
                object.put("object", type.substring(0, type.lastIndexOf('.')));
            }
            ObjectNode event = StripeEvents.event(type, object, System.currentTimeMillis() / 1000);
            String payload = event.toString();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", StripeEvents.sign(payload, secret))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.printf("%s %s -> %d %s%n", event.path("id").asText(), type, response.statusCode(),
                    response.body());
            failures += response.statusCode() / 100 == 2 ? 0 : 1;
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * The scenario's events (the same code as POST /dev/scenarios/{name}), signed and sent in order. Unlike the dev
     * endpoint, this does not wait for them to be applied. Price ids: dev mode's placeholders, or --plan-price and
     * --pack-price when the instance runs with real ones.
     */
    private static int playScenario(Scenario scenario, Map<String, String> options) throws Exception {
        ScenarioEvents.Prices defaults = ScenarioEvents.Prices.DEFAULTS;
        ScenarioEvents.Prices prices = new ScenarioEvents.Prices(
                options.getOrDefault("plan-price", defaults.planPrice()), defaults.planAmount(), defaults.pack(),
                options.getOrDefault("pack-price", defaults.packPrice()), defaults.packAmount());
        List<ObjectNode> events = ScenarioEvents.build(scenario, options.getOrDefault("account", "acct-demo"),
                options.get("ref"), prices, System.currentTimeMillis() / 1000);
        int failures = 0;
        for (WebhookSender.Delivery delivery : new WebhookSender(URI.create(url(options)), secret(options))
                .send(events)) {
            System.out.printf("%s %s %s -> %d%n", delivery.id(), delivery.type(), delivery.objectId(),
                    delivery.status());
            failures += delivery.status() / 100 == 2 ? 0 : 1;
        }
        return failures == 0 ? 0 : 1;
    }

    private static String url(Map<String, String> options) {
        return options.getOrDefault("url", "http://localhost:8080") + "/v1/webhooks/stripe";
    }

    private static String secret(Map<String, String> options) {
        return options.getOrDefault("secret",
                System.getenv().getOrDefault("STRIPE_WEBHOOK_SECRET", "whsec_tollgate_dev_secret").split(",")[0]);
    }
}
