package io.smdrelease.changelog;

import io.smdrelease.version.SemVer;

/** A package whose installed version moved between the base and the target image. */
public record PackageChange(String name, String previous, String current) {

    /**
     * The first {@code get_semver} field that differs: {@code major}, {@code minor} or {@code patch}; {@code ""} when
     * either side is not such a version ({@code 25.02.0}, {@code 0.55b1}) or the three fields are equal
     * ({@code 1.4.1.post1} and {@code 1.4.1.post2}).
     */
    public String changeType() {
        return changeType(previous, current);
    }

    public static String changeType(String previous, String current) {
        SemVer from = SemVer.tryParseImageVersion(previous);
        SemVer to = SemVer.tryParseImageVersion(current);
        if (from == null || to == null) {
            return "";
        }
        if (from.major() != to.major()) {
            return "major";
        }
        if (from.minor() != to.minor()) {
            return "minor";
        }
        if (from.patch() != to.patch()) {
            return "patch";
        }
        return "";
    }

    /** The changelog's row order: major, minor, patch, then the rest. */
    static int rank(String changeType) {
        return switch (changeType) {
            case "major" -> 0;
            case "minor" -> 1;
            case "patch" -> 2;
            default -> 3;
        };
    }
}
