package io.smdrelease.registry;

import java.util.Optional;

/**
 * The container registries a release promotes to, as the core sees them. Repositories are written
 * {@code host[:port]/path}: ECR, ECR Public or a local registry.
 */
public interface ImageRegistry {

    /** The manifest digest {@code repository:tag} points at, or empty when the tag does not exist. */
    Optional<String> digestOf(String repository, String tag);

    /**
     * Makes {@code targetRepository:tag} point at exactly the manifest {@code digest} of {@code sourceRepository}
     * (the manifest bytes unchanged, so the digest is preserved), uploading only the blobs the target lacks.
     * Idempotent: a tag already on that digest is skipped.
     */
    CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag);

    /** What one copy did. */
    record CopyResult(String repository, String tag, String digest, boolean skipped, long bytesUploaded) {}
}
