package io.smdrelease.lambda.local;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Serves Lambda handlers over HTTP on 127.0.0.1 for an emulator's Lambda proxy mode (MiniStack's
 * {@code MINISTACK_LAMBDA_PROXY_<function>}): the event is the request body, the handler's output the response; a
 * handler exception becomes an HTTP 500 whose body is the Lambda error document, its type first ({@code errorType},
 * {@code errorMessage}: MiniStack passes on only the first 512 bytes). Each invocation runs on its own virtual thread,
 * so a long one (a build) does not hold up the others.
 */
public final class LambdaHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One invocation: the path, the event, the response body and whether the handler failed. */
    public record Invocation(String path, String event, String response, boolean failed) {}

    private final HttpServer server;
    private final Consumer<Invocation> listener;
    private final Map<String, Supplier<RequestStreamHandler>> routes = new ConcurrentHashMap<>();
    private final Map<String, RequestStreamHandler> handlers = new ConcurrentHashMap<>();

    /**
     * @param port     the port on 127.0.0.1, 0 for any free one
     * @param listener told of every invocation once it is answered
     */
    public LambdaHttpServer(int port, Consumer<Invocation> listener) throws IOException {
        this.listener = listener;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code handler} (created on first use, like a Lambda execution environment) at {@code /path}. */
    public LambdaHttpServer route(String path, Supplier<RequestStreamHandler> handler) {
        routes.put(path, handler);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] event = exchange.getRequestBody().readAllBytes();
        Supplier<RequestStreamHandler> route = routes.get(path);
        int status;
        byte[] body;
        if (route == null) {
            status = 404;
            body = error("NoRoute", "no handler at " + path);
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handlers.computeIfAbsent(path, p -> route.get())
                        .handleRequest(new ByteArrayInputStream(event), out, null);
                status = 200;
                body = out.toByteArray();
            } catch (Exception e) {
                status = 500;
                body = error(e.getClass().getName(), String.valueOf(e.getMessage()));
            }
        }
        listener.accept(new Invocation(
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

    private static byte[] error(String type, String message) throws IOException {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("errorType", type);
        error.put("errorMessage", message);
        return JSON.writeValueAsBytes(error);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
