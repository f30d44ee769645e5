package io.smdrelease.testsupport;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.lambda.local.LambdaHttpServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Serves real Lambda handlers to the emulator's Lambda proxy mode ({@code MINISTACK_LAMBDA_PROXY_<function>}) through
 * the main code's {@link LambdaHttpServer}, on a free port, recording every invocation for the test.
 */
public final class LambdaProxyServer implements AutoCloseable {
    /** One invocation: the path, the event, the response body and whether the handler failed. */
    public record Invocation(String path, String event, String response, boolean failed) {}

    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final LambdaHttpServer server;

    public LambdaProxyServer() throws IOException {
        server = new LambdaHttpServer(
                0, i -> invocations.add(new Invocation(i.path(), i.event(), i.response(), i.failed())));
    }

    /** Serves {@code handler} (created on first use, like a Lambda execution environment) at {@code /path}. */
    public LambdaProxyServer route(String path, Supplier<RequestStreamHandler> handler) {
        server.route(path, handler);
        return this;
    }

    public String url(String path) {
        return server.url(path);
    }

    public List<Invocation> invocations(String path) {
        return invocations.stream().filter(i -> i.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
