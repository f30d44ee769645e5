package io.smdrelease.repodata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import com.sun.net.httpserver.HttpServer;
import io.smdrelease.error.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Repodata over HTTP from a local server: plain, zstd, and an error status. */
class RepodataSourceHttpTest {
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void serve() throws IOException {
        byte[] plain = Files.readAllBytes(RepodataReaderTest.LINUX_64);
        byte[] noarch = Files.readAllBytes(RepodataReaderTest.NOARCH);
        Map<String, byte[]> files = Map.of(
                "/linux-64/repodata.json", plain,
                "/linux-64/repodata.json.zst", Zstd.compress(plain),
                "/noarch/repodata.json.zst", Zstd.compress(noarch));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void readsPlainAndZstdUrls_inParallel_intoTheSameIndexAsTheFiles() {
        RepodataIndex fromUrls = RepodataReader.read(
                RepodataSource.of(List.of(base + "/linux-64/repodata.json.zst," + base + "/noarch/repodata.json.zst")));
        RepodataIndex fromFiles = RepodataReaderTest.channel();
        assertEquals(fromFiles.recordCount(), fromUrls.recordCount());
        for (String name : List.of("numpy", "jupyterlab", "tqdm")) {
            assertEquals(
                    fromFiles.records(name).stream().map(PackageRecord::build).toList(),
                    fromUrls.records(name).stream().map(PackageRecord::build).toList(),
                    name);
        }
        assertEquals(
                fromFiles.newest("jupyterlab", v -> true).orElseThrow().version(),
                fromUrls.newest("jupyterlab", v -> true).orElseThrow().version());
        assertEquals(
                base + "/noarch/repodata.json.zst",
                fromUrls.records("tqdm").get(0).source());

        RepodataIndex plain = RepodataReader.read(List.of(new RepodataSource(base + "/linux-64/repodata.json")));
        assertEquals(16, plain.recordCount());
    }

    @Test
    void httpError_isAUserErrorNamingTheUrlAndStatus() {
        String url = base + "/osx-64/repodata.json.zst";
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> RepodataReader.read(List.of(new RepodataSource(url))));
        assertTrue(
                e.getMessage().startsWith("could not read repodata " + url + ": GET answered HTTP 404"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(pass --repodata with a downloaded copy to work offline)"), e.getMessage());
    }
}
