package io.smdrelease.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy really fails connections as it claims, so the tests that rely on it test what they say. */
class FlakyProxyTest {

    private static ServerSocket echoServer() throws IOException {
        ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // connection over
                        }
                    });
                } catch (IOException ignored) {
                    // server closed
                }
            }
        });
        return echo;
    }

    private static byte[] echo(int port, String text) throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            return client.getInputStream().readAllBytes();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void connectsTimeOutDuringTheStall_thenTheFirstConnectionsAreReset_thenBytesFlow() throws Exception {
        try (ServerSocket echo = echoServer();
                FlakyProxy proxy = new FlakyProxy(echo.getLocalPort(), 2, Duration.ofSeconds(2))) {
            try (Socket early = new Socket()) {
                assertThrows(
                        SocketTimeoutException.class,
                        () -> early.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 300),
                        "during the stall a connect times out");
            }
            Thread.sleep(2_500);
            for (int i = 0; i < 2; i++) {
                assertThrows(IOException.class, () -> {
                    byte[] got = echo(proxy.port(), "dropped");
                    if (got.length == 0) {
                        throw new IOException("closed without an answer");
                    }
                });
            }
            assertEquals(2, proxy.dropped());
            assertArrayEquals("through".getBytes(StandardCharsets.UTF_8), echo(proxy.port(), "through"));
        }
    }
}
