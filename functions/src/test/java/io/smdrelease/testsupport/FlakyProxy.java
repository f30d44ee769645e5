package io.smdrelease.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy 127.0.0.1:{@link #port()} → 127.0.0.1:{@code targetPort} that fails connections the way an overloaded
 * or unreachable endpoint does, then forwards faithfully:
 *
 * <ul>
 *   <li>for {@code stall} after it starts it accepts nothing and its accept queue is full, so a client's connect
 *       times out (the kernel drops the SYN, as for a server whose listen backlog overflowed);</li>
 *   <li>then it resets (RST) the first {@code dropFirst} connections it accepts, before reading from them.</li>
 * </ul>
 */
public final class FlakyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final int dropFirst;
    private final List<Socket> fillers = new ArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean closed;

    public FlakyProxy(int targetPort, int dropFirst, Duration stall) {
        this.targetPort = targetPort;
        this.dropFirst = dropFirst;
        try {
            server = new ServerSocket();
            // backlog 1: the queue holds two connections, which the fillers take, so further SYNs go unanswered
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), stall.isZero() ? 200 : 1);
            if (!stall.isZero()) {
                for (int i = 0; i < 2; i++) {
                    Socket filler = new Socket();
                    filler.connect(server.getLocalSocketAddress(), 1000);
                    fillers.add(filler);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("flaky-proxy-" + port()).start(() -> {
            try {
                Thread.sleep(stall);
            } catch (InterruptedException e) {
                return;
            }
            fillers.forEach(FlakyProxy::closeQuietly);
            acceptLoop();
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Connections accepted after the stall (dropped ones and the fillers' included). */
    public int accepted() {
        return accepted.get();
    }

    /** Connections reset so far. */
    public int dropped() {
        return dropped.get();
    }

    private boolean isFiller(Socket client) {
        return fillers.stream().anyMatch(f -> f.getLocalPort() == client.getPort());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("flaky proxy: " + e);
                }
                return;
            }
            accepted.incrementAndGet();
            if (isFiller(client)) {
                closeQuietly(client);
            } else if (dropped.get() < dropFirst) {
                dropped.incrementAndGet();
                reset(client);
            } else {
                Thread.ofVirtual().start(() -> forward(client));
            }
        }
    }

    private static void reset(Socket client) {
        try {
            client.setSoLinger(true, 0); // close with RST: "Connection reset" on the client
        } catch (IOException ignored) {
            // closed anyway
        }
        closeQuietly(client);
    }

    private void forward(Socket client) {
        try {
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(client);
            sockets.add(upstream);
            AtomicInteger open = new AtomicInteger(2);
            Thread.ofVirtual().start(() -> copy(upstream, client, open));
            copy(client, upstream, open);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /**
     * Copies until end of stream and passes the end on (a half-close); the last of a connection's two directions to
     * finish closes both sockets. An error closes both at once.
     */
    private void copy(Socket from, Socket to, AtomicInteger open) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (open.decrementAndGet() > 0) {
                return;
            }
        } catch (IOException e) {
            // connection closed or reset: close both
        }
        sockets.remove(from);
        sockets.remove(to);
        closeQuietly(from);
        closeQuietly(to);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        fillers.forEach(FlakyProxy::closeQuietly);
        sockets.forEach(FlakyProxy::closeQuietly);
    }
}
