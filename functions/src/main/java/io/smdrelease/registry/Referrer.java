package io.smdrelease.registry;

import java.util.List;
import java.util.Map;

/**
 * An OCI artifact that refers to an image (OCI image spec 1.1): a signature or an SBOM. It is pushed as an image
 * manifest with {@code artifactType}, the empty config ({@code application/vnd.oci.empty.v1+json}), its layers and
 * {@code subject} the image's descriptor, by digest and without a tag; a registry with the referrers API lists it
 * under the image's digest.
 *
 * @param artifactType e.g. {@code application/vnd.cncf.notary.signature}, {@code application/vnd.cyclonedx+json}
 * @param subject      the image it refers to
 * @param layers       its content, in order
 * @param annotations  the manifest's annotations (may be empty)
 */
public record Referrer(String artifactType, Descriptor subject, List<Layer> layers, Map<String, String> annotations) {

    public Referrer {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }

    /** One layer of the artifact, with its bytes (signatures and SBOMs are small). */
    public record Layer(String mediaType, byte[] content) {}
}
