package cn.urbanmgmt.risk.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-model HTTP load for latency benchmarks: request i is due at start + i / rate whatever the
 * earlier ones do, and its latency counts from when it was due (no coordinated omission). Runs on a
 * Vert.x client with one event loop of its own: a few tens of microseconds of CPU per request, where
 * the JDK's HttpClient took about half a millisecond, as much as the service it measures on the same
 * two cores.
 */
final class OpenLoad implements AutoCloseable {

    /** One request: method, path with query, headers as name-value pairs, body or null. */
    record Request(HttpMethod method, String uri, List<String> headers, String body) {
    }

    /** Latencies in nanoseconds, ascending, and how many answers were errors (no answer or status >= 300). */
    record Result(long[] latencies, int errors) {
        double percentileMillis(double p) {
            return latencies[Math.min(latencies.length - 1, (int) Math.ceil(p * latencies.length) - 1)] / 1e6;
        }

        double maxMillis() {
            return latencies[latencies.length - 1] / 1e6;
        }
    }

    private final Vertx vertx;
    private final HttpClient client;

    OpenLoad(String host, int port, int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Sends {@code requests} at {@code perSecond}, in order, and waits for every answer (at most two minutes after the last is due). */
    Result run(List<Request> requests, int perSecond) throws InterruptedException {
        int n = requests.size();
        long[] latencies = new long[n];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + 20_000_000;
        int[] next = {0};
        // Every millisecond the event loop sends what has fallen due.
        long timer = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < n && start + next[0] * interval <= now) {
                int i = next[0]++;
                long due = start + i * interval;
                send(requests.get(i), ok -> {
                    latencies[i] = System.nanoTime() - due;
                    if (!ok) errors.incrementAndGet();
                    done.countDown();
                });
            }
        });
        boolean all = done.await(n / perSecond + 120L, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        if (!all) throw new IllegalStateException("not every request was answered within two minutes after the last was due");
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Result(sorted, errors.get());
    }

    private void send(Request r, java.util.function.Consumer<Boolean> answered) {
        RequestOptions options = new RequestOptions().setMethod(r.method()).setURI(r.uri());
        for (int h = 0; h + 1 < r.headers().size(); h += 2) options.putHeader(r.headers().get(h), r.headers().get(h + 1));
        client.request(options)
                .compose(req -> r.body() == null ? req.send() : req.send(Buffer.buffer(r.body())))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> answered.accept(ar.succeeded() && ar.result() < 300));
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
