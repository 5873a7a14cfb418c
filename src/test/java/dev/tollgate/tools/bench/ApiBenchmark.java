package dev.tollgate.tools.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import dev.tollgate.testing.StripeEvents;
import dev.tollgate.testing.StripeFixtures;
import dev.tollgate.testing.StripeObjects;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The billing API benchmark (docs/BENCHMARKS.md, "Billing API"): the packaged service in JVM mode with
 * the container's JVM flags, real JWTs, an embedded PostgreSQL and, for checkout, a local Stripe stub.
 * <ul>
 * <li>{@code entitlements}: GET /v1/billing/entitlements and /entitlements/{feature}, alternating, for
 * many subscribed accounts, closed loop over {@code --concurrency} connections;</li>
 * <li>{@code consume}: POST /v1/billing/credits/consume by 32 clients on ONE account, a tenth of them
 * repeating the previous key, then checks that the ledger holds exactly one debit per accepted key;</li>
 * <li>{@code checkout}: sequential POST /v1/billing/checkout-sessions against the stub, and the same
 * Stripe request sent straight to the stub: the difference of the medians is Tollgate's overhead.</li>
 * <li>{@code usage}: POST /v1/billing/usage for many accounts on a metered plan (a tenth repeating the key
 * before), as fast as the connections go and paced at {@code --usage-rate}, while the sender delivers to a
 * stub that fails {@code --fault-rate} of meter events with a 500; then checks that every record was
 * accepted by the stub exactly once (by identifier).</li>
 * </ul>
 * Run with {@code bench/api-bench.sh}.
 */
public final class ApiBenchmark {

    private final BenchOptions options;
    private final PrivateKey signingKey;

    private ApiBenchmark(BenchOptions options) throws Exception {
        this.options = options;
        this.signingKey = KeyUtils.readPrivateKey("jwt/privateKey.pem");
    }

    public static void main(String[] args) throws Exception {
        new ApiBenchmark(BenchOptions.parse(args)).run();
        System.exit(0);
    }

    private int intOption(String name, int fallback) {
        return options.intOption(name, fallback);
    }

    private void run() throws Exception {
        int runs = intOption("runs", 3);
        int seconds = intOption("seconds", 15);
        int concurrency = intOption("concurrency", 32);
        String scenarios = options.option("scenarios", "entitlements,consume,checkout");
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; runs=%d seconds=%d concurrency=%d%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"), runs, seconds, concurrency);
        FaultyMeterEvents meterEvents = new FaultyMeterEvents(Double.parseDouble(options.option("fault-rate", "0.2")));
        WireMockServer stripe = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .containerThreads(16).disableRequestJournal().extensions(meterEvents));
        stripe.start();
        stubStripe(stripe);
        try (EmbeddedPostgres postgres = BenchDatabase.startDurable()) {
            for (int run = 1; run <= runs; run++) {
                if (scenarios.contains("entitlements")) {
                    entitlements(postgres, stripe, seconds, concurrency, run);
                }
                if (scenarios.contains("consume")) {
                    consume(postgres, stripe, seconds, run);
                }
                if (scenarios.contains("checkout")) {
                    checkout(postgres, stripe, run);
                }
                if (scenarios.contains("usage")) {
                    usage(postgres, stripe, meterEvents, seconds, concurrency, run);
                }
            }
        } finally {
            stripe.stop();
        }
    }

    private void entitlements(EmbeddedPostgres postgres, WireMockServer stripe, int seconds, int concurrency, int run)
            throws Exception {
        BenchDatabase.reset(postgres);
        try (BenchmarkRunner.ServiceProcess service = start(postgres, stripe)) {
            int accounts = 500;
            List<String> tokens = new ArrayList<>();
            try (LoadSender sender = new LoadSender(service.baseUrl(), BenchmarkRunner.SECRET, 32)) {
                List<Delivery> setup = new ArrayList<>();
                long now = System.currentTimeMillis() / 1000;
                for (int a = 0; a < accounts; a++) {
                    String account = "acct-bench-" + run + "-" + a;
                    String customer = "cus_bench_" + run + "_" + a;
                    setup.add(delivery(StripeEvents.event("customer.created", StripeObjects.customer(customer, account),
                            now)));
                    setup.add(delivery(StripeEvents.event("customer.subscription.created", StripeObjects.subscription(
                            "sub_bench_" + run + "_" + a, customer, "active", now, now + 2_592_000), now)));
                    tokens.add(token(account));
                }
                sender.send(setup, 32, 0);
            }
            waitUntilApplied(postgres);
            IntFunction<ApiLoad.Call> call = i -> ApiLoad.Call.get(
                    i % 2 == 0 ? "/v1/billing/entitlements" : "/v1/billing/entitlements/api-access",
                    tokens.get(i % tokens.size()));
            try (ApiLoad load = new ApiLoad(service.baseUrl(), concurrency)) {
                load.run(call, concurrency, Duration.ofSeconds(5)); // warm-up: JIT and caches
                ApiLoad.Result result = load.run(call, concurrency, Duration.ofSeconds(seconds));
                System.out.printf(Locale.ROOT, "entitlements run %d: as fast as %d connections go: %d requests,"
                        + " non2xx=%d -> %.0f req/s, p50 %.2f ms, p99 %.2f ms | max RSS %d MB%n", run, concurrency,
                        result.count(), result.non2xx(), result.perSecond(), result.percentileMillis(50),
                        result.percentileMillis(99), service.maxRssMb());
                int rate = intOption("rate", 5000);
                ApiLoad.Result paced = load.run(call, concurrency, Duration.ofSeconds(seconds), rate);
                System.out.printf(Locale.ROOT, "entitlements run %d: paced at %d req/s: %d requests, non2xx=%d ->"
                        + " achieved %.0f req/s, p50 %.2f ms, p99 %.2f ms%n", run, rate, paced.count(), paced.non2xx(),
                        paced.perSecond(), paced.percentileMillis(50), paced.percentileMillis(99));
            }
        }
    }

    private void consume(EmbeddedPostgres postgres, WireMockServer stripe, int seconds, int run) throws Exception {
        BenchDatabase.reset(postgres);
        try (BenchmarkRunner.ServiceProcess service = start(postgres, stripe)) {
            String account = "acct-consume-" + run;
            long initial = 1_000_000_000L;
            try (Connection c = BenchDatabase.connect(postgres)) {
                c.createStatement().execute("insert into credit_ledger (account_id, kind, amount, balance_after,"
                        + " source_key, reason) values ('" + account + "', 'adjustment', " + initial + ", " + initial
                        + ", 'bench-seed-" + run + "', 'benchmark balance')");
                c.createStatement().execute("insert into credit_balance (account_id, balance) values ('" + account
                        + "', " + initial + ")");
            }
            String token = token(account);
            int clients = 32;
            try (ApiLoad load = new ApiLoad(service.baseUrl(), clients)) {
                load.run(consumeCalls(token, "warm" + run), clients, Duration.ofSeconds(5)); // warm-up
                long afterWarmUp = balance(postgres, account);
                ApiLoad.Result result = load.run(consumeCalls(token, "k" + run), clients, Duration.ofSeconds(seconds));
                Set<Integer> acceptedKeys = new java.util.HashSet<>();
                for (int i : result.okIndexes()) {
                    acceptedKeys.add(i % 10 == 9 ? i - 1 : i);
                }
                long debits = BenchDatabase.number(postgres, "select count(*) from credit_ledger where account_id = '" + account
                        + "' and kind = 'consume' and source_key like 'consume:" + account + ":k" + run + "-%'");
                long balance = balance(postgres, account);
                long ledgerSum = BenchDatabase.number(postgres, "select sum(amount) from credit_ledger where account_id = '"
                        + account + "'");
                boolean exact = debits == acceptedKeys.size() && afterWarmUp - balance == debits
                        && ledgerSum == balance;
                System.out.printf(Locale.ROOT, "consume run %d: %d requests by %d clients on one account, non2xx=%d ->"
                        + " %.0f req/s, p50 %.2f ms, p99 %.2f ms | distinct keys accepted %d, debits in ledger %d,"
                        + " balance fell by %d, ledger sum = balance: %s -> %s | max RSS %d MB%n", run, result.count(),
                        clients, result.non2xx(), result.perSecond(), result.percentileMillis(50),
                        result.percentileMillis(99), acceptedKeys.size(), debits, afterWarmUp - balance,
                        ledgerSum == balance, exact ? "exact (no lost or doubled debit)" : "WRONG", service.maxRssMb());
            }
        }
    }

    private void checkout(EmbeddedPostgres postgres, WireMockServer stripe, int run) throws Exception {
        BenchDatabase.reset(postgres);
        try (BenchmarkRunner.ServiceProcess service = start(postgres, stripe)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> tokens = new ArrayList<>();
            try (Connection c = BenchDatabase.connect(postgres)) {
                for (int a = 0; a < 20; a++) {
                    String account = "acct-checkout-" + run + "-" + a;
                    // Accounts that bought before: the measured request is the session, not the customer.
                    c.createStatement().execute("insert into account (id, stripe_customer_id) values ('" + account
                            + "', 'cus_" + account + "')");
                    tokens.add(token(account));
                }
            }
            String body = "{\"pack\":\"small\",\"quantity\":1}";
            String stripeForm = "mode=payment&client_reference_id=acct-checkout&customer=cus_x"
                    + "&line_items%5B0%5D%5Bprice%5D=price_pack_small&line_items%5B0%5D%5Bquantity%5D=1"
                    + "&metadata%5Baccount_id%5D=acct-checkout&metadata%5Bpack%5D=small&metadata%5Bquantity%5D=1"
                    + "&success_url=http%3A%2F%2Flocalhost%3A3000%2Fbilling%2Fsuccess&cancel_url=http%3A%2F%2Flocalhost"
                    + "%3A3000%2Fbilling";
            int n = intOption("checkouts", 600);
            for (int i = 0; i < 300; i++) { // warm-up: JIT, the accounts' first customer creation
                viaTollgate(http, service, tokens.get(i % tokens.size()), body);
                direct(http, stripe, stripeForm);
            }
            long[] tollgate = new long[n];
            long[] stub = new long[n];
            int non2xx = 0;
            for (int i = 0; i < n; i++) {
                // Interleaved, so both series see the same machine noise.
                long t0 = System.nanoTime();
                non2xx += viaTollgate(http, service, tokens.get(i % tokens.size()), body) == 200 ? 0 : 1;
                tollgate[i] = (System.nanoTime() - t0) / 1000;
                long t1 = System.nanoTime();
                direct(http, stripe, stripeForm);
                stub[i] = (System.nanoTime() - t1) / 1000;
            }
            double tollgateP50 = ApiLoad.percentileMillis(tollgate, 50);
            double stubP50 = ApiLoad.percentileMillis(stub, 50);
            System.out.printf(Locale.ROOT, "checkout run %d: %d sequential sessions, non2xx=%d | via Tollgate p50 %.2f ms"
                    + " p99 %.2f ms | Stripe stub alone p50 %.2f ms | overhead p50 %.2f ms%n", run, n, non2xx,
                    tollgateP50, ApiLoad.percentileMillis(tollgate, 99), stubP50, tollgateP50 - stubP50);
        }
    }

    private void usage(EmbeddedPostgres postgres, WireMockServer stripe, FaultyMeterEvents meterEvents, int seconds,
            int concurrency, int run) throws Exception {
        BenchDatabase.reset(postgres);
        meterEvents.reset();
        java.nio.file.Path config = java.nio.file.Files.createTempFile("tollgate-usage-bench", ".properties");
        java.nio.file.Files.writeString(config, String.join("\n",
                "tollgate.catalog.plans.scale.name=Scale",
                "tollgate.catalog.plans.scale.monthly-price=price_scale_monthly",
                "tollgate.catalog.plans.scale.monthly-amount=1000",
                "tollgate.catalog.plans.scale.meters.calls.event-name=api_calls",
                "tollgate.catalog.plans.scale.meters.calls.price=price_scale_calls"));
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_CONFIG_LOCATIONS", config.toUri().toString());
        env.put("TOLLGATE_USAGE_SENDER_INITIAL_BACKOFF", "200ms");
        env.put("TOLLGATE_USAGE_SENDER_MAX_BACKOFF", "1s");
        // --usage-api meter-events: Stripe's v1 endpoint, one event per request (default: the v2 stream).
        env.put("TOLLGATE_USAGE_SENDER_API", options.option("usage-api", "meter-event-stream"));
        // --usage-delivery off: ingestion alone, records stay pending (how much of a run delivery costs).
        boolean delivery = !"off".equals(options.option("usage-delivery", "on"));
        env.put("TOLLGATE_USAGE_SENDER_ENABLED", Boolean.toString(delivery));
        try (BenchmarkRunner.ServiceProcess service = start(postgres, stripe, env)) {
            int accounts = 200;
            List<String> tokens = new ArrayList<>();
            try (LoadSender sender = new LoadSender(service.baseUrl(), BenchmarkRunner.SECRET, 32)) {
                List<Delivery> setup = new ArrayList<>();
                long now = System.currentTimeMillis() / 1000;
                for (int a = 0; a < accounts; a++) {
                    String account = "acct-usage-" + run + "-" + a;
                    String customer = "cus_usage_" + run + "_" + a;
                    ObjectNode subscription = StripeObjects.subscription("sub_usage_" + run + "_" + a, customer,
                            "active", now, now + 2_592_000);
                    ((ObjectNode) subscription.path("items").path("data").path(0).path("price")).put("id",
                            "price_scale_monthly");
                    setup.add(delivery(StripeEvents.event("customer.created", StripeObjects.customer(customer, account),
                            now)));
                    setup.add(delivery(StripeEvents.event("customer.subscription.created", subscription, now)));
                    tokens.add(token(account));
                }
                sender.send(setup, 32, 0);
            }
            waitUntilApplied(postgres);
            try (ApiLoad load = new ApiLoad(service.baseUrl(), concurrency)) {
                load.run(usageCalls(tokens, "warm" + run), concurrency, Duration.ofSeconds(5)); // warm-up
                StatementStats.reset(postgres);
                CpuTime cpuAtStart = CpuTime.now(service.pid());
                ApiLoad.Result fast = load.run(usageCalls(tokens, "fast" + run), concurrency,
                        Duration.ofSeconds(seconds));
                int rate = intOption("usage-rate", 3000);
                ApiLoad.Result paced = load.run(usageCalls(tokens, "paced" + run), concurrency,
                        Duration.ofSeconds(seconds), rate);
                long ingested = System.nanoTime();
                CpuTime ingestionCpu = CpuTime.now(service.pid()).since(cpuAtStart);
                long records = BenchDatabase.number(postgres, "select count(*) from usage_record");
                long deadline = System.currentTimeMillis() + (delivery ? 1000L * intOption("drain-seconds", 300) : 0);
                while (BenchDatabase.number(postgres, "select count(*) from usage_record where status = 'pending'") > 0
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                double drainSeconds = (System.nanoTime() - ingested) / 1e9;
                long sent = BenchDatabase.number(postgres, "select count(*) from usage_record where status = 'sent'");
                long onceEach = meterEvents.accepted().values().stream().filter(n -> n.get() == 1).count();
                long twice = meterEvents.accepted().values().stream().filter(n -> n.get() > 1).count();
                long unknown;
                try (Connection c = BenchDatabase.connect(postgres)) {
                    Set<String> identifiers = new java.util.HashSet<>();
                    var rows = c.createStatement().executeQuery("select identifier from usage_record");
                    while (rows.next()) {
                        identifiers.add(rows.getString(1));
                    }
                    unknown = meterEvents.accepted().keySet().stream().filter(id -> !identifiers.contains(id)).count();
                }
                boolean exact = sent == records && onceEach == records && twice == 0 && unknown == 0;
                System.out.printf(Locale.ROOT, "usage run %d: as fast as %d connections go: %d requests, non2xx=%d ->"
                        + " %.0f req/s, p50 %.2f ms, p99 %.2f ms%n", run, concurrency, fast.count(), fast.non2xx(),
                        fast.perSecond(), fast.percentileMillis(50), fast.percentileMillis(99));
                System.out.printf(Locale.ROOT, "usage run %d: paced at %d req/s: %d requests, non2xx=%d -> achieved"
                        + " %.0f req/s, p50 %.2f ms, p99 %.2f ms | max RSS %d MB%n", run, rate, paced.count(),
                        paced.non2xx(), paced.perSecond(), paced.percentileMillis(50), paced.percentileMillis(99),
                        service.maxRssMb());
                System.out.printf(Locale.ROOT, "usage run %d: delivery with %d injected 500s: %d records, %d sent,"
                        + " accepted once %d, more than once %d, unknown %d, backlog drained %.1f s after the load"
                        + " -> %s (%d requests accepted)%n", run, meterEvents.failed(), records, sent, onceEach, twice, unknown,
                        drainSeconds, exact ? "exactly once" : "WRONG", meterEvents.acceptedRequests());
                System.out.printf(Locale.ROOT, "usage run %d: while ingesting, %s (per request)%n", run,
                        ingestionCpu.perEvent(fast.count() + paced.count()));
                StatementStats.print(postgres, 15);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(config);
        }
    }

    /** Records spread over the accounts; every tenth repeats the key before it (a client retrying). */
    private static IntFunction<ApiLoad.Call> usageCalls(List<String> tokens, String keyPrefix) {
        return i -> {
            int key = i % 10 == 9 ? i - 1 : i;
            return ApiLoad.Call.post("/v1/billing/usage", tokens.get(key % tokens.size()),
                    "{\"meter\":\"calls\",\"value\":1,\"idempotency_key\":\"" + keyPrefix + "-" + key + "\"}");
        };
    }

    /** Every tenth request repeats the key before it: a client retrying after a lost answer. */
    private static IntFunction<ApiLoad.Call> consumeCalls(String token, String keyPrefix) {
        return i -> {
            int key = i % 10 == 9 ? i - 1 : i;
            return ApiLoad.Call.post("/v1/billing/credits/consume", token,
                    "{\"amount\":1,\"reason\":\"bench\",\"idempotency_key\":\"" + keyPrefix + "-" + key + "\"}");
        };
    }

    private BenchmarkRunner.ServiceProcess start(EmbeddedPostgres postgres, WireMockServer stripe) throws Exception {
        return start(postgres, stripe, new HashMap<>());
    }

    private BenchmarkRunner.ServiceProcess start(EmbeddedPostgres postgres, WireMockServer stripe,
            Map<String, String> env) throws Exception {
        env.put("STRIPE_SECRET_KEY", "sk_test_bench");
        env.put("TOLLGATE_STRIPE_API_BASE", stripe.baseUrl());
        env.put("TOLLGATE_STRIPE_MAX_NETWORK_RETRIES", "0");
        env.put("TOLLGATE_CHECKOUT_RATE_LIMIT", "100000000");
        return BenchmarkRunner.ServiceProcess.start(postgres.getPort(), env);
    }

    private static void stubStripe(WireMockServer stripe) {
        ObjectNode session = StripeFixtures.object("checkout.session").put("id", "cs_test_bench")
                .put("url", "https://checkout.stripe.com/c/pay/cs_test_bench");
        stripe.stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(session.toString())));
        stripe.stubFor(post(urlEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(StripeFixtures.object("customer").put("id", "cus_bench").toString())));
    }

    private static int viaTollgate(HttpClient http, BenchmarkRunner.ServiceProcess service, String token, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/billing/checkout-sessions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static void direct(HttpClient http, WireMockServer stripe, String form) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/v1/checkout/sessions"))
                .header("Authorization", "Bearer sk_test_bench")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String account) {
        return Jwt.issuer(BenchmarkRunner.JWT_ISSUER).audience(BenchmarkRunner.JWT_AUDIENCE).subject(account)
                .groups(Set.of("user")).expiresIn(3600).sign(signingKey);
    }

    private static Delivery delivery(ObjectNode event) {
        return new Delivery(event.path("id").asText(), event.path("type").asText(), event.toString());
    }

    private static void waitUntilApplied(EmbeddedPostgres postgres) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (BenchDatabase.number(postgres, "select count(*) from stripe_event where status = 'pending'") > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("setup events were not applied in 2 minutes");
            }
            Thread.sleep(50);
        }
    }

    private static long balance(EmbeddedPostgres postgres, String account) throws SQLException {
        return BenchDatabase.number(postgres, "select balance from credit_balance where account_id = '" + account + "'");
    }
}
