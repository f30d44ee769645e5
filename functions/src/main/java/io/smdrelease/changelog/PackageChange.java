package io.smdrelease.changelog;

import io.smdrelease.version.SemVer;
import java.util.List;

/** A package whose installed version moved between the base and the target image. */
public record PackageChange(String name, String previous, String current) {

    /**
     * The original's {@code _classify_bump} on {@code get_semver} of both sides: {@code major} or {@code minor} when
     * that field differs, otherwise {@code patch} (also when only a fourth field or a suffix moved, {@code 1.2.16} to
     * {@code 1.2.16.1}); {@code ""} when either side is not such a version ({@code 25.02.0}, {@code 0.55b1}).
     */
    public String changeType() {
        return changeType(previous, current);
    }

    public static String changeType(String previous, String current) {
        List<String> from = SemVer.tryImageVersionFields(previous);
        List<String> to = SemVer.tryImageVersionFields(current);
        if (from == null || to == null) {
            return "";
        }
        if (!from.get(0).equals(to.get(0))) {
            return "major";
        }
        if (!from.get(1).equals(to.get(1))) {
            return "minor";
        }
        return "patch";
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
