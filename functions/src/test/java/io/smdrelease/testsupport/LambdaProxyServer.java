package io.smdrelease.testsupport;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves real Lambda handlers to the emulator's Lambda proxy mode ({@code MINISTACK_LAMBDA_PROXY_<function>}): the
 * event is the request body, the handler's output the response; a handler exception becomes an HTTP 500 whose body is
 * the Lambda error shape ({@code errorType}, {@code errorMessage}). Every invocation is recorded.
 */
public final class LambdaProxyServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One invocation: the path, the event, the response body and whether the handler failed. */
    public record Invocation(String path, String event, String response, boolean failed) {}

    private final HttpServer server;
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final Map<String, Supplier<RequestStreamHandler>> routes = new ConcurrentHashMap<>();
    private final Map<String, RequestStreamHandler> handlers = new ConcurrentHashMap<>();

    public LambdaProxyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code handler} (created on first use, like a Lambda execution environment) at {@code /path}. */
    public LambdaProxyServer route(String path, Supplier<RequestStreamHandler> handler) {
        routes.put(path, handler);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Invocation> invocations(String path) {
        return invocations.stream().filter(i -> i.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] event = exchange.getRequestBody().readAllBytes();
        Supplier<RequestStreamHandler> route = routes.get(path);
        int status;
        byte[] body;
        if (route == null) {
            status = 404;
            body = ("{\"errorType\":\"NoRoute\",\"errorMessage\":\"no handler at " + path + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handlers.computeIfAbsent(path, p -> route.get())
                        .handleRequest(new ByteArrayInputStream(event), out, null);
                status = 200;
                body = out.toByteArray();
            } catch (Exception e) {
                status = 500;
                // the Lambda error document, its type first: MiniStack passes on only the first 512 bytes
                Map<String, String> error = new LinkedHashMap<>();
                error.put("errorType", e.getClass().getName());
                error.put("errorMessage", String.valueOf(e.getMessage()));
                body = JSON.writeValueAsBytes(error);
            }
        }
        invocations.add(new Invocation(
                path,
                new String(event, StandardCharsets.UTF_8),
                new String(body, StandardCharsets.UTF_8),
                status != 200));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
