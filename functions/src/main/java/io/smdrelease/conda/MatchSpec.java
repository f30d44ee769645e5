package io.smdrelease.conda;

import java.util.Locale;

/**
 * One package line of an env file, reduced to what the release tool uses.
 *
 * @param name    the package name as written (use {@link #key()} to compare)
 * @param channel the channel's name ({@code conda-forge}), or {@code null} when the line names none
 * @param version the version constraint: {@code ==22.1.8} for an explicit URL line, the written constraint
 *                ({@code >=1.0,<2.0}) for a match spec, {@code null} when there is none
 * @param build   the build string of an explicit URL line, else {@code null}
 */
public record MatchSpec(String name, String channel, String version, String build) {

    /** The pseudo-package that stands for the {@code @EXPLICIT} marker line of an env.out file. */
    public static final String EXPLICIT_MARKER = "@explicit";

    /** The lower-cased name under which env files key their packages. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The exact version of an explicit URL line ({@code ==1.2.3} without {@code ==}), or {@code null}. */
    public String exactVersion() {
        return version != null && version.startsWith("==") ? version.substring(2) : null;
    }

    public boolean isExplicitMarker() {
        return EXPLICIT_MARKER.equals(name);
    }
}
