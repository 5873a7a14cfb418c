package dev.tollgate.tools.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tollgate.testing.StripeFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The webhook benchmark: starts PostgreSQL (embedded) and the packaged service (JVM mode, the
 * container's JVM settings) on this machine, sends a realistic signed event stream, and reports
 * throughput, acknowledgement latency, apply lag, readiness time, RSS and whether the final database
 * state is exactly right. Run it with {@code bench/webhook-bench.sh} (see docs/BENCHMARKS.md).
 */
public final class BenchmarkRunner {

    static final String SECRET = "whsec_benchmark_secret";
    /**
     * The JVM flags src/main/docker/Dockerfile.jvm sets in JAVA_OPTS, after its class-data sharing archive
     * ({@code ContainerJvmOptsTest} keeps the two the same). The young generation is sized by hand: a
     * processing batch keeps several MB alive for a few database round trips, and with the collector's
     * default 1:8 survivor spaces in a heap that grows slowly that data overflowed into the old
     * generation, which then needed a full collection twice a second (docs/BENCHMARKS.md).
     */
    static final List<String> CONTAINER_JVM_OPTS = List.of(
            "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75", "-Xmn64m", "-XX:SurvivorRatio=2",
            "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

    /**
     * The environment src/main/docker/Dockerfile.jvm sets for the JVM: two malloc arenas instead of glibc's
     * eight per core, which kept ~20 MB of RSS in half-empty arenas under load (docs/BENCHMARKS.md).
     */
    static final Map<String, String> CONTAINER_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * Token settings production refuses to start without (README "Security: production settings"); the
     * benchmark's tokens (ApiBenchmark) carry this issuer and audience, signed with the test key.
     */
    static final String JWT_ISSUER = "https://tollgate.bench";
    static final String JWT_AUDIENCE = "tollgate-bench";

    /**
     * The class-data sharing archive the build makes for JDK 17; run on JDK 25 (JAVA_HOME), the benchmark
     * uses JDK 25's AOT cache instead, which bench/webhook-bench.sh makes: the option measured in
     * docs/BENCHMARKS.md.
     */
    private static final String STARTUP_ARCHIVE = Runtime.version().feature() >= 25
            ? "-XX:AOTCache=app.aot"
            : "-XX:SharedArchiveFile=app-cds.jsa";

    private final BenchOptions options;
    private int warmupCustomers;

    private BenchmarkRunner(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new BenchmarkRunner(BenchOptions.parse(args)).run();
        System.exit(0);
    }

    private int intOption(String name, int fallback) {
        return options.intOption(name, fallback);
    }

    private void run() throws Exception {
        int customers = intOption("customers", 1000);
        int concurrency = intOption("concurrency", 32);
        int runs = intOption("runs", 3);
        int steadyRate = intOption("rate", 1000);
        String scenarios = options.option("scenarios", "e2e,ack,steady,startup,abuse");
        // A warm-up as large as the measured stream: with half of it the service was still compiling hot
        // code during the measurement (service CPU per event ~400 us instead of ~335 us, docs/BENCHMARKS.md).
        warmupCustomers = intOption("warmup", 1000);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; customers=%d concurrency=%d runs=%d%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"), customers, concurrency, runs);
        try (EmbeddedPostgres postgres = BenchDatabase.startDurable()) {
            for (int run = 1; run <= runs; run++) {
                if (scenarios.contains("e2e")) {
                    endToEnd(postgres, customers, concurrency, run);
                }
                if (scenarios.contains("ack")) {
                    ackOnly(postgres, customers, concurrency, run);
                }
                if (scenarios.contains("steady")) {
                    steady(postgres, customers, steadyRate, run);
                }
                if (scenarios.contains("startup")) {
                    startup(postgres, run);
                }
                if (scenarios.contains("abuse")) {
                    abuse(postgres, run);
                }
            }
        }
    }

    private void endToEnd(EmbeddedPostgres postgres, int customers, int concurrency, int run) throws Exception {
        BenchDatabase.reset(postgres);
        try (ServiceProcess service = ServiceProcess.start(postgres.getPort(), Map.of())) {
            warmUp(postgres, service, run, true);
            String runId = "e" + run + "x";
            EventStream stream = EventStream.generate(customers, 42 + run, 1_700_000_000L, runId);
            List<Delivery> deliveries = StreamShaper.shape(stream.deliveries(), 0.05, 0.05, 7 + run);
            LoadGeneratorJvm.settle();
            StatementStats.reset(postgres);
            CpuTime cpuAtStart = CpuTime.now(service.pid());
            long firstSendWall = System.currentTimeMillis();
            LoadSender.Result result = send(service, deliveries, concurrency, 0);
            long unique = stream.deliveries().size();
            long appliedAtWall = waitUntilApplied(postgres, unique, Duration.ofMinutes(5));
            CpuTime cpu = CpuTime.now(service.pid()).since(cpuAtStart);
            double e2eSeconds = (appliedAtWall - firstSendWall) / 1000.0;
            Verification check = verify(postgres, stream);
            System.out.printf(Locale.ROOT,
                    "e2e    run %d: deliveries=%d unique=%d non2xx=%d ack %.0f/s (p50 %.1f ms, p99 %.1f ms)"
                            + " | all applied after %.2f s -> %.0f events/s | state %s | ready %.2f s | max RSS %d MB"
                            + " | %s%n",
                    run, result.sent(), unique, result.non2xx(), result.perSecond(), result.percentileMillis(50),
                    result.percentileMillis(99), e2eSeconds, unique / e2eSeconds, check, service.readySeconds(),
                    service.maxRssMb(), cpu.perEvent(unique));
            StatementStats.print(postgres, 25);
        }
    }

    private void ackOnly(EmbeddedPostgres postgres, int customers, int concurrency, int run) throws Exception {
        BenchDatabase.reset(postgres);
        try (ServiceProcess service = ServiceProcess.start(postgres.getPort(),
                Map.of("TOLLGATE_WEBHOOK_PROCESSOR_ENABLED", "false"))) {
            warmUp(postgres, service, run, false);
            EventStream stream = EventStream.generate(customers, 42 + run, 1_700_000_000L, "a" + run + "x");
            List<Delivery> deliveries = StreamShaper.shape(stream.deliveries(), 0.05, 0.05, 7 + run);
            LoadGeneratorJvm.settle();
            CpuTime cpuAtStart = CpuTime.now(service.pid());
            LoadSender.Result result = send(service, deliveries, concurrency, 0);
            CpuTime cpu = CpuTime.now(service.pid()).since(cpuAtStart);
            long stored = BenchDatabase.number(postgres, "select count(*) from stripe_event");
            System.out.printf(Locale.ROOT,
                    "ack    run %d: deliveries=%d non2xx=%d -> %.0f acks/s, p50 %.1f ms, p99 %.1f ms, stored %d of %d"
                            + " | max RSS %d MB | %s%n",
                    run, result.sent(), result.non2xx(), result.perSecond(), result.percentileMillis(50),
                    result.percentileMillis(99), stored, stream.deliveries().size(), service.maxRssMb(),
                    cpu.perEvent(result.sent()));
        }
    }

    private void steady(EmbeddedPostgres postgres, int customers, int rate, int run) throws Exception {
        BenchDatabase.reset(postgres);
        try (ServiceProcess service = ServiceProcess.start(postgres.getPort(), Map.of())) {
            warmUp(postgres, service, run, true);
            EventStream stream = EventStream.generate(customers, 42 + run, System.currentTimeMillis() / 1000,
                    "s" + run + "x");
            List<Delivery> deliveries = StreamShaper.shape(stream.deliveries(), 0.05, 0.05, 7 + run);
            LoadGeneratorJvm.settle();
            LoadSender.Result result = send(service, deliveries, 32, rate);
            waitUntilApplied(postgres, stream.deliveries().size(), Duration.ofMinutes(5));
            double lagP50 = lagPercentile(postgres, 0.50);
            double lagP99 = lagPercentile(postgres, 0.99);
            System.out.printf(Locale.ROOT,
                    "steady run %d: %d deliveries at %d/s (achieved %.0f/s) non2xx=%d, ack p50 %.1f ms p99 %.1f ms,"
                            + " apply lag (applied - received) p50 %.0f ms p99 %.0f ms | max RSS %d MB%n",
                    run, result.sent(), rate, result.perSecond(), result.non2xx(), result.percentileMillis(50),
                    result.percentileMillis(99), lagP50, lagP99, service.maxRssMb());
        }
    }

    /**
     * The slow-body attack of issue 10 during a normal stream ({@link AbuseScenario}): by default 2,000
     * connections for 15 s (longer than the 10 s body timeout) while 5,000 events arrive at 250/s.
     */
    private void abuse(EmbeddedPostgres postgres, int run) throws Exception {
        BenchDatabase.reset(postgres);
        try (ServiceProcess service = ServiceProcess.start(postgres.getPort(), Map.of())) {
            warmUp(postgres, service, run, true);
            int events = intOption("abuse-events", 5000);
            EventStream stream = EventStream.generate(events / 10, 42 + run, System.currentTimeMillis() / 1000,
                    "x" + run + "x");
            List<Delivery> deliveries = StreamShaper.shape(stream.deliveries(), 0.05, 0.05, 7 + run);
            deliveries = deliveries.subList(0, Math.min(events, deliveries.size()));
            LoadGeneratorJvm.settle();
            AbuseScenario scenario = new AbuseScenario(service, intOption("attackers", 2000),
                    intOption("abuse-rate", 250), 3000, intOption("attack-seconds", 15) * 1000L);
            System.out.printf(Locale.ROOT, "abuse  run %d: %s%n", run, scenario.run(postgres, deliveries));
        }
    }

    private static LoadSender.Result send(ServiceProcess service, List<Delivery> deliveries, int concurrency,
            double rate) throws InterruptedException {
        return service.sender().send(deliveries, concurrency, rate);
    }

    /** Start-up to readiness: once on an empty database (migrations run), then restarts on the migrated one. */
    private void startup(EmbeddedPostgres postgres, int run) throws Exception {
        BenchDatabase.reset(postgres);
        List<Double> restarts = new ArrayList<>();
        double fresh;
        try (ServiceProcess service = ServiceProcess.start(postgres.getPort(), Map.of())) {
            fresh = service.readySeconds();
        }
        for (int i = 0; i < 5; i++) {
            try (ServiceProcess service = ServiceProcess.start(postgres.getPort(), Map.of())) {
                restarts.add(service.readySeconds());
            }
        }
        List<Double> sorted = new ArrayList<>(restarts);
        sorted.sort(null);
        System.out.printf(Locale.ROOT, "startup run %d: ready after %.2f s on an empty database; restarts on the migrated"
                + " one %s -> median %.2f s%n", run, fresh, restarts, sorted.get(sorted.size() / 2));
    }

    /**
     * Sends a separate stream first so the measured one meets a JIT-compiled service, as a service that
     * has been running for a while would be; then empties the tables so the measurement starts clean.
     * {@code --warmup 0} measures a cold service instead.
     */
    private void warmUp(EmbeddedPostgres postgres, ServiceProcess service, int run, boolean applied) throws Exception {
        if (warmupCustomers <= 0) {
            return;
        }
        EventStream stream = EventStream.generate(warmupCustomers, 1000 + run, 1_600_000_000L, "w" + run + "x");
        List<Delivery> deliveries = StreamShaper.shape(stream.deliveries(), 0.05, 0.05, run);
        send(service, deliveries, 32, 0);
        if (applied) {
            waitUntilApplied(postgres, stream.deliveries().size(), Duration.ofMinutes(5));
        }
        try (Connection c = BenchDatabase.connect(postgres)) {
            c.createStatement().execute("truncate stripe_event, stripe_event_payload, stripe_customer, stripe_subscription,"
                    + " stripe_subscription_item, stripe_invoice, stripe_payment_intent, stripe_charge, stripe_refund,"
                    + " stripe_dispute, stripe_checkout_session, stripe_product, stripe_price, object_refresh");
        }
    }

    /**
     * Waits until every unique event is processed; answers the wall-clock time the last one was applied.
     * Called once every delivery is acknowledged, so every event is stored: the poll only asks whether any is
     * still pending, which the pending index answers without touching the table. One connection for the
     * whole wait, so the poll takes next to nothing from the service under test (a new connection and a scan
     * of the whole inbox every 20 ms did).
     */
    private long waitUntilApplied(EmbeddedPostgres postgres, long unique, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (Connection c = BenchDatabase.connect(postgres);
                PreparedStatement anyPending = c.prepareStatement(
                        "select exists (select 1 from stripe_event where status = 'pending')")) {
            while (System.currentTimeMillis() < deadline) {
                boolean pending;
                try (ResultSet rs = anyPending.executeQuery()) {
                    rs.next();
                    pending = rs.getBoolean(1);
                }
                if (!pending && BenchDatabase.number(c, "select count(*) from stripe_event") >= unique) {
                    return BenchDatabase.number(c,
                            "select (extract(epoch from max(processed_at)) * 1000)::bigint from stripe_event");
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("Not everything was applied within " + timeout);
    }

    private double lagPercentile(EmbeddedPostgres postgres, double p) throws SQLException {
        try (Connection c = BenchDatabase.connect(postgres);
                PreparedStatement st = c.prepareStatement("select percentile_cont(?) within group (order by"
                        + " extract(epoch from processed_at - received_at) * 1000) from stripe_event")) {
            st.setDouble(1, p);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** Compares every mirrored object's raw JSON with the last version the stream produced. */
    private Verification verify(EmbeddedPostgres postgres, EventStream stream) throws Exception {
        Map<String, Map<String, JsonNode>> byTable = new LinkedHashMap<>();
        stream.expected().forEach((key, object) -> {
            int colon = key.indexOf(':');
            byTable.computeIfAbsent(key.substring(0, colon), t -> new HashMap<>()).put(key.substring(colon + 1),
                    object);
        });
        int mismatches = 0;
        List<String> examples = new ArrayList<>();
        try (Connection c = BenchDatabase.connect(postgres)) {
            for (Map.Entry<String, Map<String, JsonNode>> table : byTable.entrySet()) {
                Map<String, String> actual = new HashMap<>();
                try (PreparedStatement st = c.prepareStatement("select id, raw from " + table.getKey()
                        + " where id = any(?)")) {
                    st.setArray(1, c.createArrayOf("text", table.getValue().keySet().toArray()));
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            actual.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
                for (Map.Entry<String, JsonNode> expected : table.getValue().entrySet()) {
                    String raw = actual.get(expected.getKey());
                    // Re-read the expected JSON too: Jackson's IntNode(5) and LongNode(5) are not equal.
                    JsonNode want = StripeFixtures.MAPPER.readTree(expected.getValue().toString());
                    if (raw == null || !StripeFixtures.MAPPER.readTree(raw).equals(want)) {
                        mismatches++;
                        if (examples.size() < 3) {
                            examples.add(table.getKey() + ":" + expected.getKey());
                        }
                    }
                }
            }
            long failed = BenchDatabase.number(postgres, "select count(*) from stripe_event where status = 'failed'");
            long stored = BenchDatabase.number(postgres, "select count(*) from stripe_event");
            return new Verification(stream.expected().size(), mismatches, failed,
                    stored == stream.deliveries().size(), examples);
        }
    }

    record Verification(int objects, int mismatches, long failedEvents, boolean everyEventStoredOnce,
            List<String> examples) {
        @Override
        public String toString() {
            boolean ok = mismatches == 0 && failedEvents == 0 && everyEventStoredOnce;
            return (ok ? "100% correct" : "WRONG") + " (" + objects + " objects, " + mismatches + " mismatches, "
                    + failedEvents + " failed events, every event stored once: " + everyEventStoredOnce
                    + (examples.isEmpty() ? "" : ", e.g. " + examples) + ")";
        }
    }

    /** The packaged service (target/quarkus-app) running as a child process. */
    static final class ServiceProcess implements AutoCloseable {
        /** The sender's connection pool bound; each send opens as many connections as it has lanes. */
        private static final int MAX_CONNECTIONS = 1024;

        private final Process process;
        private final int port;
        private final int managementPort;
        private final double readySeconds;
        private final AtomicLong maxRssKb = new AtomicLong();
        private final Thread sampler;
        private LoadSender sender;

        private ServiceProcess(Process process, int port, int managementPort, double readySeconds) {
            this.process = process;
            this.port = port;
            this.managementPort = managementPort;
            this.readySeconds = readySeconds;
            this.sampler = new Thread(this::sampleRss, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static ServiceProcess start(int dbPort, Map<String, String> extraEnv) throws Exception {
            Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException("Build the service first: ./mvnw package -DskipTests");
            }
            int port = freePort();
            int managementPort = freePort();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add(STARTUP_ARCHIVE);
            // -Dbench.gc=Parallel measures another collector than the image's.
            String gc = System.getProperty("bench.gc");
            CONTAINER_JVM_OPTS.forEach(flag -> command.add(gc != null && flag.equals("-XX:+UseSerialGC")
                    ? "-XX:+Use" + gc + "GC"
                    : flag));
            // BENCH_JVM="-XX:StartFlightRecording=filename=target/bench.jfr" profiles the service. (MAVEN_OPTS
            // splits on spaces, so -Dbench.jvm only carries a single flag.)
            String extra = System.getProperty("bench.jvm", System.getenv().getOrDefault("BENCH_JVM", "")).trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.add("-jar");
            command.add("quarkus-run.jar");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of("target/bench-service.log").toFile())
                    // Run from the application directory, as the archives were recorded there: the class-data
                    // sharing archive only applies when the class path reads exactly the same.
                    .directory(jar.getParent().toFile());
            Map<String, String> env = builder.environment();
            env.putAll(CONTAINER_ENV);
            env.put("DB_URL", "postgresql://localhost:" + dbPort + "/postgres");
            env.put("DB_USER", "postgres");
            env.put("DB_PASSWORD", "postgres");
            env.put("STRIPE_WEBHOOK_SECRET", SECRET);
            // The stream's price ids, so plans resolve and paid invoices grant plan credits as in production.
            env.put("STRIPE_PRICE_PRO_MONTHLY", "price_pro_monthly");
            env.put("STRIPE_PRICE_TEAM_MONTHLY", "price_team_monthly");
            env.put("STRIPE_PRICE_PACK_SMALL", "price_pack_small");
            env.put("PORT", String.valueOf(port));
            env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
            // What production refuses to start without; the redirect allow-list and URLs are dev mode's.
            env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                    Path.of("src/test/resources/jwt/publicKey.pem").toAbsolutePath().toString());
            env.put("MP_JWT_VERIFY_ISSUER", JWT_ISSUER);
            env.put("MP_JWT_VERIFY_AUDIENCES", JWT_AUDIENCE);
            env.put("TOLLGATE_CHECKOUT_ALLOWED_ORIGINS", "http://localhost:3000");
            env.put("TOLLGATE_CHECKOUT_SUCCESS_URL",
                    "http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}");
            env.put("TOLLGATE_CHECKOUT_CANCEL_URL", "http://localhost:3000/billing");
            env.put("TOLLGATE_CHECKOUT_PORTAL_RETURN_URL", "http://localhost:3000/billing");
            env.putAll(extraEnv);
            long started = System.nanoTime();
            Process process = builder.start();
            waitReady(managementPort, process);
            return new ServiceProcess(process, port, managementPort, (System.nanoTime() - started) / 1e9);
        }

        String baseUrl() {
            return "http://localhost:" + port;
        }

        int port() {
            return port;
        }

        /** Health and metrics: the management interface's own port, as in production. */
        String managementUrl() {
            return "http://localhost:" + managementPort;
        }

        double readySeconds() {
            return readySeconds;
        }

        long maxRssMb() {
            return maxRssKb.get() / 1024;
        }

        long pid() {
            return process.pid();
        }

        /**
         * One sender for the warm-up and the measurement. A new sender (a new Vert.x instance) invalidated
         * the JIT-compiled client code the warm-up had produced: 154 methods were deoptimised at the start
         * of the first measured run, whose load generator then used ~110 us of CPU per event instead of ~30.
         */
        LoadSender sender() {
            if (sender == null) {
                sender = new LoadSender(baseUrl(), SECRET, MAX_CONNECTIONS);
            }
            return sender;
        }

        private void sampleRss() {
            Path status = Path.of("/proc/" + process.pid() + "/status");
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmRSS:")) {
                            long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                            maxRssKb.accumulateAndGet(kb, Math::max);
                        }
                    }
                    Thread.sleep(100);
                } catch (IOException | InterruptedException | NumberFormatException e) {
                    return;
                }
            }
        }

        private static void waitReady(int managementPort, Process process) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(
                    URI.create("http://localhost:" + managementPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The service exited; see target/bench-service.log");
                }
                try {
                    if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("The service did not become ready in 60 s");
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void close() {
            if (sender != null) {
                sender.close();
            }
            process.destroy();
            try {
                process.waitFor();
                sampler.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
