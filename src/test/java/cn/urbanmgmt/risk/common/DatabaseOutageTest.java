package cn.urbanmgmt.risk.common;

import static cn.urbanmgmt.risk.TestSupport.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, point 5: the service reaches PostgreSQL through a TCP proxy that the test cuts (every
 * connection dropped, new ones refused) and restores. During the outage every request is answered
 * quickly with 503 application/problem+json and Retry-After, readiness is DOWN; afterwards the
 * service answers again without a restart.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ViaProxy.class)
class DatabaseOutageTest {

    public static class ViaProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxyResource.class));
        }
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            int target = Integer.parseInt(System.getProperty("quarkus.embedded.postgresql.port", "54330"));
            try {
                proxy = new Proxy(target);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + proxy.port + "/postgres?stringtype=unspecified");
        }

        @Override
        public void stop() {
            proxy.cut();
        }
    }

    static Proxy proxy;

    @Test
    void anOutageGivesAFast503WithRetryAfterAndTheServiceRecoversWithoutARestart() throws Exception {
        as("admin").get("/api/v1/merchants").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        // The same 40 requests with the database up, for comparison on a machine that may be busy.
        long b0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            as("admin").get("/api/v1/merchants/1").then().statusCode(org.hamcrest.Matchers.lessThan(500));
            given().get("/api/v1/public/results").then().statusCode(200);
        }
        long baselineMs = (System.nanoTime() - b0) / 1_000_000;

        proxy.cut();
        long t0 = System.nanoTime();
        Response first = as("admin").get("/api/v1/merchants");
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        first.then().statusCode(503).contentType(Problem.MEDIA_TYPE).header("Retry-After", equalTo("5")).body("status", equalTo(503));

        long t1 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            as("admin").get("/api/v1/merchants/1").then().statusCode(503).contentType(Problem.MEDIA_TYPE).header("Retry-After", equalTo("5"));
            given().get("/api/v1/public/results").then().statusCode(503).contentType(Problem.MEDIA_TYPE);
        }
        long restMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("DatabaseOutageTest: first request during the outage answered in %d ms, the next 40 in %d ms "
                + "(the same 40 with the database up: %d ms)%n", firstMs, restMs, baselineMs);
        assertTrue(firstMs < 4_000, "the first request gives up within the connect timeout: " + firstMs + " ms");
        // Without the gate each would wait for its own connection attempt (about 2 s each before).
        assertTrue(restMs < 40 * 500, "the following requests fail fast: " + restMs + " ms for 40");
        given().get("/q/health/ready").then().statusCode(503);

        proxy.restore();
        long deadline = System.currentTimeMillis() + 30_000;
        int status = 0;
        while (System.currentTimeMillis() < deadline) {
            status = as("admin").get("/api/v1/merchants").statusCode();
            if (status == 200) break;
            Thread.sleep(250);
        }
        assertEquals(200, status, "the service answers again once the database is back");
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** A TCP proxy to PostgreSQL that can be cut and restored on the same port. */
    static final class Proxy {
        final int port;
        private final int target;
        private volatile ServerSocket server;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        Proxy(int target) throws IOException {
            this.target = target;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            port = server.getLocalPort();
            accept(server);
        }

        synchronized void cut() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closed
            }
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closed
                }
            }
            open.clear();
        }

        synchronized void restore() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = s;
            accept(s);
        }

        private void accept(ServerSocket s) {
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket client = s.accept();
                        Socket db = new Socket(InetAddress.getLoopbackAddress(), target);
                        open.add(client);
                        open.add(db);
                        pump(client, db);
                        pump(db, client);
                    } catch (IOException e) {
                        // closed by cut()
                    }
                }
            }, "db-proxy-accept");
            t.setDaemon(true);
            t.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // one side closed
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // closed
                    }
                }
            }, "db-proxy-pump");
            t.setDaemon(true);
            t.start();
        }
    }
}
