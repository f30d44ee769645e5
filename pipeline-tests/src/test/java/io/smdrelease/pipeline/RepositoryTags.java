package io.smdrelease.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Tag to digest of a release repository, read independently of the registry client under test: ECR's DescribeImages
 * for the emulator's repositories, the registry API's tag list and manifest HEADs for a docker-registry.
 */
final class RepositoryTags {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.index.v1+json";

    private RepositoryTags() {}

    static Map<String, String> ofEcr(EcrClient ecr, String name) {
        Map<String, String> tags = new TreeMap<>();
        try {
            for (ImageDetail image :
                    ecr.describeImagesPaginator(r -> r.repositoryName(name)).imageDetails()) {
                image.imageTags().forEach(tag -> tags.put(tag, image.imageDigest()));
            }
        } catch (RepositoryNotFoundException e) {
            throw new AssertionError("no ECR repository " + name, e);
        }
        return tags;
    }

    /** {@code hostPort} of the registry itself (not a proxy in front of it). */
    static Map<String, String> ofRegistry(String hostPort, String name) throws IOException, InterruptedException {
        Map<String, String> tags = new TreeMap<>();
        HttpResponse<String> list = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/" + name + "/tags/list"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (list.statusCode() == 404) {
            return tags; // nothing pushed yet
        }
        JsonNode names = DeployedPipeline.JSON.readTree(list.body()).path("tags");
        for (JsonNode tag : names) {
            HttpResponse<Void> head = HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://" + hostPort + "/v2/" + name + "/manifests/" + tag.asText()))
                            .header("Accept", ACCEPT)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            tags.put(
                    tag.asText(),
                    head.headers().firstValue("Docker-Content-Digest").orElseThrow());
        }
        return tags;
    }
}
