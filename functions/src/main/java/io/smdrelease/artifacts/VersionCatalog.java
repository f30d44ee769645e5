package io.smdrelease.artifacts;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.layout.ReleasedVersions;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The released versions in a store ({@link ReleasedVersions}: with release.json in a bucket, with env.out in a
 * checkout), prerelease ones excepted. Resolves {@code latest} and {@code latest-X.Y} base versions by walking the directories newest first
 * and stopping at the first complete release, so that a bucket with hundreds of versions costs a few listings.
 */
public final class VersionCatalog {
    private static final Pattern LATEST_MINOR = Pattern.compile("latest-(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");
    private final ArtifactStore store;
    private final ReleasedVersions released;

    public VersionCatalog(ArtifactStore store) {
        this.store = store;
        this.released = new ReleasedVersions(store);
    }

    /**
     * The base version a request names: a version as written, {@code latest} (the newest release), or
     * {@code latest-X.Y} (the newest release of minor X.Y). Prerelease and incomplete versions are never "latest".
     *
     * @return the version text to use as {@code --base-patch-version}
     */
    public String resolveBase(String requested) {
        if (requested == null || requested.isBlank()) {
            throw new InvalidInputException(
                    "basePatchVersion is missing: give a version (4.4.0), latest or latest-X.Y");
        }
        if (requested.equals("latest")) {
            return newest(m -> true, n -> true)
                    .map(SemVer::toString)
                    .orElseThrow(() -> new BaseNotFoundException(
                            "no released version in " + store.location() + " to use as latest"));
        }
        Matcher m = LATEST_MINOR.matcher(requested);
        if (m.matches()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            return newest(x -> x == major, y -> y == minor)
                    .map(SemVer::toString)
                    .orElseThrow(() -> new BaseNotFoundException("no released version of " + major + "." + minor
                            + " in " + store.location() + " to use as " + requested));
        }
        if (requested.startsWith("latest")) {
            throw new InvalidInputException(
                    "basePatchVersion '" + requested + "' is not latest or latest-X.Y (e.g. latest-4.4)");
        }
        return requested;
    }

    /** The newest complete release whose major and minor pass the filters. */
    public Optional<SemVer> newest(IntPredicate majors, IntPredicate minors) {
        for (int major : descending(store.children(ImageVersions.BUILD_ARTIFACTS), "v", majors)) {
            String majorDir = ImageVersions.BUILD_ARTIFACTS + "/v" + major;
            for (int minor : descending(store.children(majorDir), "v" + major + ".", minors)) {
                String minorDir = majorDir + "/v" + major + "." + minor;
                List<SemVer> patches = new ArrayList<>();
                for (String name : store.children(minorDir)) {
                    SemVer version = name.startsWith("v") ? SemVer.tryParseImageVersion(name.substring(1)) : null;
                    if (version != null
                            && !version.isPrerelease()
                            && name.equals("v" + version)
                            && version.major() == major
                            && version.minor() == minor) {
                        patches.add(version);
                    }
                }
                patches.sort(Comparator.reverseOrder());
                for (SemVer version : patches) {
                    if (released.isReleased(version, null)) {
                        return Optional.of(version);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The numbers of the children named {@code prefix<number>} that pass the filter, newest first. */
    private static List<Integer> descending(List<String> names, String prefix, IntPredicate filter) {
        List<Integer> out = new ArrayList<>();
        for (String name : names) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String digits = name.substring(prefix.length());
            if (digits.isEmpty()
                    || digits.length() > 9
                    || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (digits.length() > 1 && digits.charAt(0) == '0')) {
                continue;
            }
            int number = Integer.parseInt(digits);
            if (filter.test(number)) {
                out.add(number);
            }
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }
}
