package io.smdrelease.repodata;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a repodata file is: a local path or an {@code http(s)://} URL, read with the JDK's HTTP client.
 *
 * @param location the path or URL as given
 */
public record RepodataSource(String location) {
    /** conda-forge's {@code linux-64} and {@code noarch} repodata, zstd-compressed. */
    public static final List<String> CONDA_FORGE = List.of(
            "https://conda.anaconda.org/conda-forge/linux-64/repodata.json.zst",
            "https://conda.anaconda.org/conda-forge/noarch/repodata.json.zst");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    /** Sources from repeated or comma-separated values; the conda-forge defaults when there are none. */
    public static List<RepodataSource> of(List<String> values) {
        List<RepodataSource> out = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        out.add(new RepodataSource(part.strip()));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            CONDA_FORGE.forEach(url -> out.add(new RepodataSource(url)));
        }
        return out;
    }

    /** What went wrong with a request, in words: the JDK's client leaves many of its exceptions without a message. */
    static String whyUnreachable(IOException e, URI uri) {
        String address = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + uri.getHost();
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection to " + address + " within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return address + " sent no answer within " + RESPONSE_TIMEOUT.toMinutes() + " min";
        }
        if (e instanceof ConnectException) {
            return "could not connect to " + address + " (connection refused)";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    public boolean isUrl() {
        return location.startsWith("https://") || location.startsWith("http://");
    }

    /** Opens the content (still compressed if it is); the caller closes it. */
    public InputStream open() throws IOException {
        if (!isUrl()) {
            try {
                return Files.newInputStream(Path.of(location));
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(location, null, "no such file");
            }
        }
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(location))
                .timeout(RESPONSE_TIMEOUT)
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching", e);
        } catch (IOException e) {
            throw new IOException(whyUnreachable(e, request.uri()), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("GET answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}
