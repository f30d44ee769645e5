package io.smdrelease.version;

import io.smdrelease.error.InvalidInputException;

/** The original tool's version rules: the next version of a release and where a version's artifacts live. */
public final class ImageVersions {
    public static final String BUILD_ARTIFACTS = "build_artifacts";
    /** In a version directory: the raw base version it was generated from, without a newline. */
    public static final String SOURCE_VERSION_FILE = "source-version.txt";

    private ImageVersions() {}

    /**
     * The version a release of {@code type} makes from {@code base}. The base's prerelease carries over
     * ({@code 1.0.0-beta} patch is {@code 1.0.1-beta}); {@code preReleaseIdentifier} makes {@code next-X} and is only
     * allowed on a base without prerelease.
     */
    public static SemVer next(SemVer base, ReleaseType type, String preReleaseIdentifier) {
        SemVer next = type.bump(base);
        if (preReleaseIdentifier != null) {
            if (base.isPrerelease()) {
                throw new InvalidInputException("--pre-release-identifier " + SemVer.quote(preReleaseIdentifier)
                        + " cannot be used with the prerelease base " + base
                        + ": the base's prerelease '" + base.prerelease()
                        + "' carries over; drop the flag or start from a release");
            }
            if (preReleaseIdentifier.length() > SemVer.MAX_PRERELEASE_LENGTH) {
                throw new InvalidInputException("--pre-release-identifier " + SemVer.quote(preReleaseIdentifier)
                        + " is too long: use at most " + SemVer.MAX_PRERELEASE_LENGTH
                        + " characters (the image tags carry it), e.g. beta or rc1");
            }
            if (!SemVer.isValidPrerelease(preReleaseIdentifier)) {
                throw new InvalidInputException("--pre-release-identifier " + SemVer.quote(preReleaseIdentifier)
                        + " is not a SemVer prerelease: use letters, digits and '-', e.g. beta or rc1");
            }
            if (preReleaseIdentifier.contains(".")) {
                // the original's get_semver keeps three dot-fields: 1.2.1-rc.1 would read back as 1.2.1-rc, so a
                // version made with it could never be named again (its directory is v1.2.1-rc.1)
                throw new InvalidInputException("--pre-release-identifier " + SemVer.quote(preReleaseIdentifier)
                        + " has a '.', which the versions' parsing cuts off (X.Y.Z-" + preReleaseIdentifier
                        + " reads back as X.Y.Z-" + preReleaseIdentifier.substring(0, preReleaseIdentifier.indexOf('.'))
                        + "): use it without dots, e.g. rc1");
            }
            return next.withPrerelease(preReleaseIdentifier);
        }
        return base.isPrerelease() ? next.withPrerelease(base.prerelease()) : next;
    }

    /** {@code build_artifacts/vM/vM.m/vM.m.p}, plus {@code /vM.m.p-pre} for a prerelease. */
    public static String versionDir(SemVer version) {
        String patchDir = BUILD_ARTIFACTS + "/v" + version.major() + "/v" + version.major() + "." + version.minor()
                + "/v" + version.core();
        return version.isPrerelease() ? patchDir + "/v" + version : patchDir;
    }

    /** {@code template/vM/vM.m}. */
    public static String templateDir(int major, int minor) {
        return "template/v" + major + "/v" + major + "." + minor;
    }
}
