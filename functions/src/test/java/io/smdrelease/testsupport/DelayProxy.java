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
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy 127.0.0.1:{@link #port()} → 127.0.0.1:{@code targetPort} that delivers every byte {@code delay} later
 * than it arrived, in each direction. An HTTP request/response exchange therefore takes 2 × {@code delay} longer, as
 * it would against a remote service, while parallel exchanges overlap as they do there (MiniStack itself answers in
 * about 2 ms, one request at a time). Order is kept and throughput is not limited: chunks are queued with their arrival
 * time and written when it is due.
 */
public final class DelayProxy implements AutoCloseable {
    private static final byte[] EOF = new byte[0];

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    public DelayProxy(int targetPort, Duration delay) {
        this.targetPort = targetPort;
        this.delayNanos = delay.toNanos();
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("delay-proxy-accept-" + port()).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** How many client connections were accepted so far. */
    public long connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                AtomicInteger open = new AtomicInteger(2);
                pipe(client, upstream, open);
                pipe(upstream, client, open);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("delay proxy: " + e);
                }
            }
        }
    }

    private record Chunk(long due, byte[] bytes) {}

    /**
     * Copies from → to with the delay: a reader queues timed chunks, a writer sends each when due. The last of the two
     * directions of a connection to finish closes both sockets.
     */
    private void pipe(Socket from, Socket to, AtomicInteger open) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream(); // not closed here: that would close the socket both ways
                int n;
                while ((n = in.read(buf)) >= 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // connection closed
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, EOF));
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait = c.due() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (c.bytes() == EOF) {
                        to.shutdownOutput();
                        if (open.decrementAndGet() == 0) {
                            closeQuietly(from);
                            closeQuietly(to);
                        }
                        return;
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
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
        sockets.forEach(this::closeQuietly);
    }
}
