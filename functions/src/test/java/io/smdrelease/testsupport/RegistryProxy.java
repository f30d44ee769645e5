package io.smdrelease.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An HTTP reverse proxy 127.0.0.1:{@link #port()} → a registry on 127.0.0.1 that counts what goes through it and
 * answers chosen requests itself: the registry as seen over a network that can fail. It records every request
 * (method, path, whether it carried an Authorization header, when), counts the request body bytes sent to blob
 * uploads ({@link #uploadedBytes()}), rewrites the registry's {@code Location} headers to itself, and serves
 * {@link #inject faults}: e.g. 429 with {@code Retry-After} for the first blob PATCH, or for every request.
 *
 * <p>A TLS handshake is refused at once (the connection closed), as a plain-http registry does: skopeo and buildah
 * try https first even with {@code --tls-verify=false}, and would otherwise wait 10 s for their handshake timeout.
 *
 * <pre>{@code
 * try (RegistryProxy proxy = RegistryProxy.start(registry.port())) {
 *     proxy.inject(RegistryProxy.Fault.times(1, r -> r.method().equals("PATCH"), 429, Map.of("Retry-After", "2")));
 *     String repo = proxy.repository("team/smd"); // 127.0.0.1:PROXYPORT/team/smd
 * }
 * }</pre>
 */
public final class RegistryProxy implements AutoCloseable {
    /** Hop-by-hop and JDK-restricted headers that are not forwarded. */
    private static final Set<String> NOT_FORWARDED =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive");

    /** One request as the proxy saw it. */
    public record Request(Instant at, String method, String path, boolean authorized, int status) {
        /** A request of the blob upload protocol (POST, PATCH, PUT under /blobs/uploads/). */
        public boolean isBlobUpload() {
            return path.contains("/blobs/uploads/");
        }
    }

    /** Answers matching requests with {@code status} and {@code headers}, {@code remaining} times (-1: always). */
    public static final class Fault {
        private final Predicate<Request> matches;
        private final int status;
        private final Map<String, String> headers;
        private final AtomicInteger remaining;
        private final String code;

        private Fault(Predicate<Request> matches, int status, Map<String, String> headers, int times, String code) {
            this.matches = matches;
            this.status = status;
            this.headers = headers;
            this.remaining = new AtomicInteger(times);
            this.code = code;
        }

        public static Fault times(int times, Predicate<Request> matches, int status, Map<String, String> headers) {
            return new Fault(matches, status, headers, times, status == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE");
        }

        public static Fault always(Predicate<Request> matches, int status, Map<String, String> headers) {
            return new Fault(matches, status, headers, -1, status == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE");
        }

        /** Answers with {@code status} and the registry error {@code code}, {@code times} times (-1: always). */
        public static Fault answering(int times, Predicate<Request> matches, int status, String code) {
            return new Fault(matches, status, Map.of(), times, code);
        }

        private boolean take(Request request) {
            if (!matches.test(request)) {
                return false;
            }
            while (true) {
                int left = remaining.get();
                if (left == 0) {
                    return false;
                }
                if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
        }
    }

    private final HttpServer server;
    private final ServerSocket front;
    private volatile boolean closed;
    private final int targetPort;
    private final HttpClient client;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> faulted = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong uploadedBytes = new AtomicLong();

    private RegistryProxy(HttpServer server, ServerSocket front, int targetPort) {
        this.server = server;
        this.front = front;
        this.targetPort = targetPort;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A proxy to the registry listening on 127.0.0.1:{@code targetPort}. */
    public static RegistryProxy start(int targetPort) {
        HttpServer server;
        ServerSocket front;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            front = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RegistryProxy proxy = new RegistryProxy(server, front, targetPort);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        Thread.ofPlatform()
                .daemon()
                .name("registry-proxy-" + front.getLocalPort())
                .start(proxy::acceptLoop);
        return proxy;
    }

    public int port() {
        return front.getLocalPort();
    }

    /** Front door: closes TLS handshakes (first byte 0x16), pipes plain HTTP to the HTTP server. */
    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = front.accept();
            } catch (IOException e) {
                continue; // closed, or a failed accept: the loop condition decides
            }
            Thread.ofVirtual().start(() -> {
                try (client;
                        Socket back = new Socket(
                                InetAddress.getLoopbackAddress(),
                                server.getAddress().getPort())) {
                    InputStream in = client.getInputStream();
                    int first = in.read();
                    if (first < 0 || first == 0x16) {
                        return;
                    }
                    back.getOutputStream().write(first);
                    Thread up = Thread.ofVirtual().start(() -> pipe(in, back));
                    pipe(back.getInputStream(), client);
                    up.join();
                } catch (IOException | InterruptedException e) {
                    // the connection ends
                }
            });
        }
    }

    private static void pipe(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side closed
        }
    }

    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** {@code 127.0.0.1:PORT/name}: a repository reached through the proxy. */
    public String repository(String name) {
        return hostPort() + "/" + name;
    }

    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Every request so far, faulted ones included, in the order they arrived. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests the proxy answered itself with a fault. */
    public List<Request> faulted() {
        return List.copyOf(faulted);
    }

    /** Request body bytes forwarded to blob uploads (POST, PATCH, PUT under /blobs/uploads/). */
    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    /** Forgets the requests and the byte count (the faults stay). */
    public void reset() {
        requests.clear();
        faulted.clear();
        uploadedBytes.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            boolean authorized = exchange.getRequestHeaders().containsKey("Authorization");
            Request probe = new Request(Instant.now(), method, pathAndQuery, authorized, 0);
            for (Fault fault : faults) {
                if (fault.take(probe)) {
                    serveFault(exchange, probe, fault);
                    return;
                }
            }
            forward(exchange, probe);
        }
    }

    private void serveFault(HttpExchange exchange, Request probe, Fault fault) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        Request served = new Request(probe.at(), probe.method(), probe.path(), probe.authorized(), fault.status);
        requests.add(served);
        faulted.add(served);
        fault.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = ("{\"errors\":[{\"code\":\"" + fault.code + "\",\"message\":\"injected by the test proxy\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (probe.method().equals("HEAD")) {
            exchange.sendResponseHeaders(fault.status, -1);
        } else {
            exchange.sendResponseHeaders(fault.status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void forward(HttpExchange exchange, Request probe) throws IOException {
        URI upstream = URI.create("http://127.0.0.1:" + targetPort + probe.path());
        HttpRequest.Builder builder = HttpRequest.newBuilder(upstream);
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        boolean upload = probe.isBlobUpload();
        InputStream body = new FilterInputStream(exchange.getRequestBody()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0 && upload) {
                    uploadedBytes.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0 && upload) {
                    uploadedBytes.addAndGet(n);
                }
                return n;
            }
        };
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean chunked =
                "chunked".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Transfer-Encoding"));
        HttpRequest.BodyPublisher publisher;
        if (length != null && Long.parseLong(length) > 0) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> body), Long.parseLong(length));
        } else if (chunked) {
            publisher = HttpRequest.BodyPublishers.ofInputStream(() -> body);
        } else {
            publisher = HttpRequest.BodyPublishers.noBody();
        }
        builder.method(probe.method(), publisher);
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            requests.add(new Request(probe.at(), probe.method(), probe.path(), probe.authorized(), 502));
            exchange.sendResponseHeaders(502, -1);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        requests.add(new Request(probe.at(), probe.method(), probe.path(), probe.authorized(), response.statusCode()));
        String registry = "http://127.0.0.1:" + targetPort;
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("transfer-encoding") || lower.equals("connection") || lower.equals(":status")) {
                return;
            }
            for (String v : values) {
                exchange.getResponseHeaders()
                        .add(name, lower.equals("location") ? v.replace(registry, "http://" + hostPort()) : v);
            }
        });
        long contentLength =
                response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (probe.method().equals("HEAD") || contentLength == 0 || response.statusCode() == 204) {
                in.transferTo(OutputStream.nullOutputStream());
                exchange.sendResponseHeaders(response.statusCode(), -1);
            } else {
                exchange.sendResponseHeaders(response.statusCode(), Math.max(contentLength, 0));
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
        }
    }

    /** The time between the first faulted request and the next request of the same kind that was forwarded. */
    public Duration waitAfterFirstFault(Predicate<Request> sameKind) {
        Request fault =
                faulted.stream().findFirst().orElseThrow(() -> new IllegalStateException("no fault was served"));
        return requests.stream()
                .filter(r -> r.at().isAfter(fault.at()) && r.status() != fault.status() && sameKind.test(r))
                .findFirst()
                .map(r -> Duration.between(fault.at(), r.at()))
                .orElseThrow(() -> new IllegalStateException("no request of that kind came after the fault"));
    }

    @Override
    public void close() {
        closed = true;
        try {
            front.close();
        } catch (IOException e) {
            // closing anyway
        }
        server.stop(0);
        client.close();
    }
}
