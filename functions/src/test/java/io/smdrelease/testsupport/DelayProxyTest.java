package io.smdrelease.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DelayProxyTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void forwardsBytesBothWaysWithTheDelayEachWay() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (Exception ignored) {
                    // test over
                }
            });
            byte[] payload = new byte[300_000];
            new Random(1).nextBytes(payload);
            try (DelayProxy proxy = new DelayProxy(echo.getLocalPort(), Duration.ofMillis(100));
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                long t0 = System.nanoTime();
                OutputStream out = client.getOutputStream();
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        out.write(payload);
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                InputStream in = client.getInputStream();
                int first = in.read();
                long firstByteMs = (System.nanoTime() - t0) / 1_000_000;
                byte[] rest = in.readAllBytes();
                long allMs = (System.nanoTime() - t0) / 1_000_000;
                writer.join();
                byte[] got = new byte[rest.length + 1];
                got[0] = (byte) first;
                System.arraycopy(rest, 0, got, 1, rest.length);
                assertArrayEquals(payload, got);
                assertTrue(firstByteMs >= 200, "a round trip takes two delays: " + firstByteMs + " ms");
                assertTrue(allMs < 2_000, "the delay is latency, not a per-chunk cost: " + allMs + " ms");
                assertTrue(proxy.connections() == 1);
            }
        }
    }
}
