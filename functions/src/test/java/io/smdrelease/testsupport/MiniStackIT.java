package io.smdrelease.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness itself: two emulators side by side, extra environment, loopback only, stopped for good. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MiniStackIT {

    static String health(URI endpoint) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(endpoint.resolve("/_ministack/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    static boolean accepts(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void startsTwoEmulatorsWithTheirOwnEnvironmentAndStopsThem() throws Exception {
        MiniStack a = MiniStack.start(Map.of("MINISTACK_EDITION", "harness-a"));
        MiniStack b = MiniStack.start(Map.of("MINISTACK_EDITION", "harness-b"));
        try {
            assertNotEquals(a.port(), b.port());
            assertEquals("127.0.0.1", a.endpoint().getHost());
            assertTrue(health(a.endpoint()).contains("\"edition\": \"harness-a\""), health(a.endpoint()));
            assertTrue(health(b.endpoint()).contains("\"edition\": \"harness-b\""));
            assertTrue(
                    health(a.endpoint()).contains("\"version\": \"" + MiniStack.VERSION + "\""), health(a.endpoint()));
            assertTrue(a.logTail(50).contains("Ready"), a.logTail(50));
            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                assertFalse(accepts(external.get(), a.port()), "bound to 127.0.0.1 only, not " + external.get());
            }
            try (var s3 = a.s3()) {
                s3.createBucket(r -> r.bucket("only-in-a"));
                assertEquals(1, s3.listBuckets().buckets().size());
            }
            try (var s3 = b.s3()) {
                assertEquals(0, s3.listBuckets().buckets().size(), "separate state");
            }
            a.reset();
            try (var s3 = a.s3()) {
                assertEquals(0, s3.listBuckets().buckets().size(), "reset wipes state");
            }
        } finally {
            a.close();
            b.close();
        }
        assertFalse(a.isRunning());
        assertFalse(b.isRunning());
        assertFalse(accepts(InetAddress.getLoopbackAddress(), a.port()), "stopped: port " + a.port() + " closed");
        assertThrows(Exception.class, () -> health(b.endpoint()));
    }
}
