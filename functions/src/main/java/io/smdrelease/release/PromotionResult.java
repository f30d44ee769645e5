package io.smdrelease.release;

import io.smdrelease.registry.CopyResult;
import java.util.List;

/**
 * What Promote did: the version tags, the referrers (SBOMs and signatures, by digest), then the aliases, and per copy
 * whether it was skipped and what it uploaded.
 */
public record PromotionResult(
        List<PromotionStep> versionTags,
        List<PromotionStep> referrers,
        List<PromotionStep> aliases,
        List<CopyResult> copies) {

    public PromotionResult {
        versionTags = List.copyOf(versionTags);
        referrers = referrers == null ? List.of() : List.copyOf(referrers);
        aliases = List.copyOf(aliases);
        copies = List.copyOf(copies);
    }

    public long bytesUploaded() {
        return copies.stream().mapToLong(CopyResult::bytesUploaded).sum();
    }
}
