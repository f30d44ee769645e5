package io.smdrelease.release;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.PromotionFailedException;
import io.smdrelease.error.ReleaseException;
import io.smdrelease.error.TagConflictException;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.registry.RegistryException;
import io.smdrelease.registry.RegistryUnavailableException;
import io.smdrelease.store.BoundedParallel;
import io.smdrelease.tags.VersionTags;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Copies the staged candidate digests to every release repository: first every version tag ({@code 4.4.1-cpu}) in
 * every repository and each image's referrers (its SBOM and signature, by digest), then, only when every repository
 * holds every version tag of every image type on the right digest, the moving aliases ({@code 4.4-cpu}, {@code 4-cpu}, {@code latest-cpu}). A failure before the aliases moves
 * no alias anywhere; a version tag on another digest stops everything before the first copy; a tag already on the
 * right digest is skipped, so a re-run converges.
 */
final class Promotion {
    /** Copies at once: each is a few registry round trips, or one streamed layer copy across registries. */
    private static final BoundedParallel COPIES = new BoundedParallel(6);

    private final RegistryClient registry;

    Promotion(RegistryClient registry) {
        this.registry = registry;
    }

    /** The steps, version tags first: the tags each image type gets now, given the versions released so far. */
    static List<PromotionStep> plan(
            SemVer version,
            List<CandidateImage> images,
            List<String> repositories,
            VersionTags tags,
            CandidateSignatures signatures) {
        List<PromotionStep> versionSteps = new ArrayList<>();
        List<PromotionStep> referrerSteps = new ArrayList<>();
        List<PromotionStep> aliasSteps = new ArrayList<>();
        for (CandidateImage image : images) {
            Candidate candidate = image.candidate();
            if (!repositories.isEmpty() && !candidate.isStaged()) {
                throw new InvalidInputException("the " + image.imageType() + " candidate of " + version
                        + " was not pushed to a staging repository, so there is nothing to promote from: build it"
                        + " with a staging repository");
            }
            List<String> imageTags = tags.tags(version, image.config());
            for (String repository : repositories) {
                for (int i = 0; i < imageTags.size(); i++) {
                    PromotionStep step = new PromotionStep(
                            image.imageType(),
                            candidate.repository(),
                            candidate.digest(),
                            repository,
                            imageTags.get(i),
                            i > 0);
                    (i == 0 ? versionSteps : aliasSteps).add(step);
                }
                for (String referrer : signatures.referrersOf(image.imageType())) {
                    referrerSteps.add(new PromotionStep(
                            image.imageType(), candidate.repository(), referrer, repository, null, false));
                }
            }
        }
        List<PromotionStep> steps = new ArrayList<>(versionSteps);
        steps.addAll(referrerSteps);
        steps.addAll(aliasSteps);
        return steps;
    }

    PromotionResult promote(List<PromotionStep> steps) {
        List<PromotionStep> versionTags =
                steps.stream().filter(s -> !s.alias() && !s.isReferrer()).toList();
        List<PromotionStep> referrers =
                steps.stream().filter(PromotionStep::isReferrer).toList();
        List<PromotionStep> aliases =
                steps.stream().filter(PromotionStep::alias).toList();
        refuseConflicts(versionTags);
        List<PromotionStep> beforeAliases = new ArrayList<>(versionTags);
        beforeAliases.addAll(referrers);
        List<CopyResult> copies = new ArrayList<>(runAll(beforeAliases));
        verify(versionTags);
        copies.addAll(runAll(aliases));
        return new PromotionResult(versionTags, referrers, aliases, copies);
    }

    /** A version tag is never re-pointed: checked for every repository before anything is copied. */
    private void refuseConflicts(List<PromotionStep> versionTags) {
        List<String> conflicts = new ArrayList<>();
        for (PromotionStep step : versionTags) {
            Optional<String> current = registry.digestOf(step.repository(), step.tag());
            if (current.isPresent() && !current.get().equals(step.digest())) {
                conflicts.add(step.repository() + ":" + step.tag() + " is " + current.get() + ", the candidate is "
                        + step.digest());
            }
        }
        if (!conflicts.isEmpty()) {
            throw new TagConflictException("version tags already point at other images, and a version tag is never"
                    + " re-pointed; nothing was promoted: " + String.join("; ", conflicts)
                    + ". Release the next version instead");
        }
    }

    /** Reads every version tag back before any alias moves. */
    private void verify(List<PromotionStep> versionTags) {
        for (PromotionStep step : versionTags) {
            Optional<String> current = registry.digestOf(step.repository(), step.tag());
            if (current.isEmpty() || !current.get().equals(step.digest())) {
                throw new RegistryUnavailableException(
                        step.repository(),
                        step.tag(),
                        0,
                        current.orElse("missing"),
                        step.repository() + ":" + step.tag() + " reads back as " + current.orElse("missing")
                                + " after the copy of " + step.digest() + "; no alias was moved",
                        null);
            }
        }
    }

    /**
     * Runs the copies a few at a time and waits for all of them. When some fail, the first failure is thrown with the
     * others suppressed; a permanent one (401, 403, 404) becomes a user error naming every failed repository.
     */
    private List<CopyResult> runAll(List<PromotionStep> steps) {
        List<Callable<CopyResult>> tasks = new ArrayList<>();
        for (PromotionStep step : steps) {
            tasks.add(() -> registry.copy(step.source(), step.digest(), step.repository(), step.tag()));
        }
        try {
            return COPIES.runAll(tasks);
        } catch (RuntimeException first) {
            List<RuntimeException> failures = new ArrayList<>(List.of(first));
            for (Throwable other : first.getSuppressed()) {
                if (other instanceof RuntimeException r) {
                    failures.add(r);
                }
            }
            throw combined(failures);
        }
    }

    private static RuntimeException combined(List<RuntimeException> failures) {
        boolean permanent = failures.stream()
                .anyMatch(f -> f instanceof ReleaseException || f instanceof RegistryException r && !r.isTransient());
        StringBuilder message = new StringBuilder("promotion failed for " + failures.size() + " copy(ies), no alias"
                + " was moved where a version tag failed: ");
        failures.forEach(f -> message.append(f.getMessage()).append("; "));
        RuntimeException first = failures.get(0);
        RuntimeException combined = permanent
                ? new PromotionFailedException(message.toString(), first)
                : new RegistryUnavailableException(
                        first instanceof RegistryException r ? r.repository() : null,
                        first instanceof RegistryException r ? r.reference() : null,
                        first instanceof RegistryException r ? r.status() : 0,
                        first.getMessage(),
                        message.toString(),
                        first);
        failures.stream().skip(1).limit(10).forEach(combined::addSuppressed);
        return combined;
    }
}
