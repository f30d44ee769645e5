package io.smdrelease.sbom;

/**
 * What {@link SbomGenerator#write} wrote.
 *
 * @param path        the SBOM's store path, {@code build_artifacts/v4/v4.4/v4.4.0/gpu.sbom.cdx.json}
 * @param envOut      the env.out it was made from
 * @param components  how many package components it lists
 * @param imageDigest the image's manifest digest it describes, or {@code null}
 * @param specVersion the CycloneDX version, {@code 1.6}
 */
public record SbomResult(
        String path, String imageType, String envOut, int components, String imageDigest, String specVersion) {

    /** One line for a log, a CLI or a pipeline output. */
    public String summary() {
        return "wrote " + path + ": CycloneDX " + specVersion + " SBOM of the " + imageType + " image, " + components
                + " packages from " + envOut + (imageDigest == null ? "" : ", image " + imageDigest);
    }
}
