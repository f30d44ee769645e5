package io.smdrelease.testsupport;

import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * Images of known sizes in MiniStack's ECR. MiniStack's DescribeImages answers {@code imageSizeInBytes} = the length
 * of the stored manifest (real ECR: the sum of the compressed layers), so a manifest padded to {@code length} bytes
 * gives an image of that size.
 */
public final class EcrImages {
    private EcrImages() {}

    /** Puts a manifest of exactly {@code length} bytes under {@code tag}. */
    public static void put(EcrClient ecr, String repository, String tag, int length) {
        String head = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,"
                + "\"digest\":\"sha256:" + "0".repeat(64) + "\"},\"layers\":[],\"annotations\":{\"tag\":\"" + tag
                + "\",\"pad\":\"";
        String tail = "\"}}";
        String manifest = head + "x".repeat(length - head.length() - tail.length()) + tail;
        ecr.putImage(r -> r.repositoryName(repository)
                .imageTag(tag)
                .imageManifest(manifest)
                .imageManifestMediaType("application/vnd.oci.image.manifest.v1+json"));
    }
}
