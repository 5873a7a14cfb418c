package dev.tollgate.callbacks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * POSTs one signed callback to one receiver with the JDK HTTP client (asynchronous, started from a worker
 * thread so DNS and connection set-up never run on the event loop). Answers null on a 2xx, else why not.
 */
@ApplicationScoped
public class CallbackSender {

    private final HttpClient client;
    private final Duration timeout;
    private final CallbackSettings settings;

    public CallbackSender(CallbacksConfig config, CallbackSettings settings) {
        this.timeout = config.timeout();
        this.settings = settings;
        // HTTP/1.1: receivers behind plain http would otherwise be offered an h2c upgrade on every request.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Uni<String> send(String url, String eventId, String body) {
        return Uni.createFrom().deferred(() -> {
            HttpRequest request = request(url, eventId, body, settings.secrets());
            return Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(response -> response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode())
                .onFailure().recoverWithItem(CallbackSender::describe);
    }

    private HttpRequest request(String url, String eventId, String body, List<String> secrets) {
        long now = System.currentTimeMillis() / 1000;
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Tollgate-Callbacks/1")
                .header("Tollgate-Event-Id", eventId)
                .header(CallbackSigner.HEADER, CallbackSigner.header(now, body, secrets))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String describe(Throwable failure) {
        String type = failure.getClass().getSimpleName();
        return failure.getMessage() == null ? type : type + ": " + failure.getMessage();
    }
}
