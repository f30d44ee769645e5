package io.smdrelease.gates;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A candidate image: what a build recorded in {@code candidate-<type>.json} after pushing its tested image by digest
 * to the staging repository.
 *
 * @param repository the staging repository, or {@code null} when the build pushed nowhere (a local build)
 * @param tag        the candidate tag there
 * @param digest     the manifest digest read back from the registry, or {@code null} with no repository
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Candidate(String imageType, String repository, String tag, String digest, String pushedAt) {

    /** Whether the candidate exists in a registry, so it can be promoted. */
    @JsonIgnore
    public boolean isStaged() {
        return repository != null && digest != null;
    }
}
