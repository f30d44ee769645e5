package io.smdrelease.artifacts;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The released versions in a store: complete version directories ({@link ArtifactStore#isComplete}) without
 * prerelease. Resolves {@code latest} and {@code latest-X.Y} base versions.
 */
public final class VersionCatalog {
    private static final Pattern LATEST_MINOR = Pattern.compile("latest-(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})");
    private final ArtifactStore store;

    public VersionCatalog(ArtifactStore store) {
        this.store = store;
    }

    /** Every complete release (no prerelease), ascending. */
    public List<SemVer> releases() {
        List<SemVer> out = new ArrayList<>();
        for (String majorDir : store.children(ImageVersions.BUILD_ARTIFACTS)) {
            Integer major = number(majorDir, "v");
            if (major == null) {
                continue;
            }
            for (String minorDir : store.children(ImageVersions.BUILD_ARTIFACTS + "/" + majorDir)) {
                if (!minorDir.startsWith("v" + major + ".")) {
                    continue;
                }
                for (String patchDir : store.children(ImageVersions.BUILD_ARTIFACTS + "/" + majorDir + "/" + minorDir)) {
                    SemVer version = SemVer.tryParseImageVersion(patchDir.startsWith("v") ? patchDir.substring(1) : "");
                    if (version == null || version.isPrerelease() || !patchDir.equals("v" + version)
                            || !ImageVersions.versionDir(version).endsWith(minorDir + "/" + patchDir)
                            || !store.isComplete(ImageVersions.versionDir(version))) {
                        continue;
                    }
                    out.add(version);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The base version a request names: a version as written, {@code latest} (the newest release), or
     * {@code latest-X.Y} (the newest release of minor X.Y). Prerelease and incomplete versions are never "latest".
     *
     * @return the version text to use as {@code --base-patch-version}
     */
    public String resolveBase(String requested) {
        if (requested == null || requested.isBlank()) {
            throw new InvalidInputException("basePatchVersion is missing: give a version (4.4.0), latest or latest-X.Y");
        }
        if (requested.equals("latest")) {
            return last(releases(), "no complete release in " + store.location() + " to use as latest");
        }
        Matcher m = LATEST_MINOR.matcher(requested);
        if (m.matches()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            List<SemVer> ofMinor = releases().stream().filter(v -> v.major() == major && v.minor() == minor).toList();
            return last(ofMinor, "no complete release of " + major + "." + minor + " in " + store.location()
                    + " to use as " + requested);
        }
        if (requested.startsWith("latest")) {
            throw new InvalidInputException("basePatchVersion '" + requested + "' is not latest or latest-X.Y (e.g. latest-4.4)");
        }
        return requested;
    }

    private static String last(List<SemVer> versions, String whenEmpty) {
        Optional<SemVer> last = versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        return last.map(SemVer::toString).orElseThrow(() -> new BaseNotFoundException(whenEmpty));
    }

    private static Integer number(String name, String prefix) {
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() > prefix.length() + 9) {
            return null;
        }
        String digits = name.substring(prefix.length());
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return null;
        }
        return Integer.parseInt(digits);
    }
}
