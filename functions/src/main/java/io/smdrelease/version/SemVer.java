package io.smdrelease.version;

import io.smdrelease.error.InvalidInputException;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Semantic Versioning 2.0 version without build metadata, as the original tool's python-semver 3.0.4 parses it.
 *
 * @param prerelease the part after {@code -}, or {@code null}
 */
public record SemVer(int major, int minor, int patch, String prerelease) implements Comparable<SemVer> {

    private static final String IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final String PRERELEASE = IDENTIFIER + "(?:\\." + IDENTIFIER + ")*";
    private static final Pattern STRICT = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-("
            + PRERELEASE + "))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final Pattern OPTIONAL_MINOR_PATCH =
            Pattern.compile("(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?)?(?:-(" + PRERELEASE
                    + "))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final Pattern PRERELEASE_PATTERN = Pattern.compile(PRERELEASE);
    /** Fields up to 999999999: every bump still fits an {@code int}. */
    static final int MAX_FIELD_DIGITS = 9;
    /**
     * A prerelease's length limit: {@code <version>-<prerelease>-gpu} stays a valid image tag (at most 128
     * characters) and a directory name.
     */
    public static final int MAX_PRERELEASE_LENGTH = 64;

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version field");
        }
        if (prerelease != null && !isValidPrerelease(prerelease)) {
            throw new IllegalArgumentException("not a SemVer prerelease of at most " + MAX_PRERELEASE_LENGTH
                    + " characters: " + quote(prerelease));
        }
    }

    public static SemVer of(int major, int minor, int patch) {
        return new SemVer(major, minor, patch, null);
    }

    /**
     * The original tool's {@code get_semver}: keeps the first three dot-fields of longer strings ({@code 1.2.3.4} is
     * {@code 1.2.3}, and {@code 2.0.0-rc.1} is {@code 2.0.0-rc}), appends {@code .0} to {@code X.Y}, then parses
     * strict SemVer and rejects build metadata.
     *
     * @throws InvalidInputException naming the value when it is not such a version
     */
    public static SemVer parseImageVersion(String text) {
        String normalised = normaliseDots(text);
        Matcher m = STRICT.matcher(normalised);
        if (!m.matches()) {
            throw new InvalidInputException(quote(text) + " is not a version: expected MAJOR.MINOR.PATCH with an"
                    + " optional -prerelease, e.g. 4.4.1 or 2.0.0-beta");
        }
        if (m.group(5) != null) {
            throw new InvalidInputException(quote(text) + " has build metadata (+" + m.group(5)
                    + "): image versions take none, use e.g. " + m.group(1) + "." + m.group(2) + "." + m.group(3));
        }
        if (!fitsInt(m.group(1), m.group(2), m.group(3))) {
            throw new InvalidInputException(quote(text) + " is not a version: its fields have at most "
                    + MAX_FIELD_DIGITS + " digits, e.g. 4.4.1");
        }
        if (m.group(4) != null && m.group(4).length() > MAX_PRERELEASE_LENGTH) {
            throw new InvalidInputException(quote(text) + " is not a version: a prerelease has at most "
                    + MAX_PRERELEASE_LENGTH + " characters, e.g. 2.0.0-beta");
        }
        return new SemVer(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
    }

    /** Like {@link #parseImageVersion} but returns {@code null} instead of throwing (directory names). */
    public static SemVer tryParseImageVersion(String text) {
        Matcher m = STRICT.matcher(normaliseDots(text));
        if (!m.matches()
                || m.group(5) != null
                || !fitsInt(m.group(1), m.group(2), m.group(3))
                || (m.group(4) != null && m.group(4).length() > MAX_PRERELEASE_LENGTH)) {
            return null;
        }
        return new SemVer(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
    }

    /**
     * The major, minor and patch fields of {@code get_semver(text)} as digit strings of any length (python-semver's
     * integers are unbounded), or {@code null} when {@code get_semver} fails. Strict SemVer has no leading zeros, so
     * two fields are equal exactly when their strings are.
     */
    public static List<String> tryImageVersionFields(String text) {
        Matcher m = STRICT.matcher(normaliseDots(text));
        if (!m.matches() || m.group(5) != null) {
            return null;
        }
        return List.of(m.group(1), m.group(2), m.group(3));
    }

    /**
     * python-semver's {@code Version.parse(s, optional_minor_and_patch=True)}: {@code 1.16} is 1.16.0, {@code 8} is
     * 8.0.0; build metadata is accepted and ignored. Returns {@code null} when {@code text} does not parse.
     */
    public static SemVer tryParseOptionalMinorPatch(String text) {
        Matcher m = OPTIONAL_MINOR_PATCH.matcher(text);
        if (!m.matches() || !fitsInt(m.group(1), m.group(2), m.group(3))) {
            return null;
        }
        return new SemVer(
                Integer.parseInt(m.group(1)),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                m.group(4));
    }

    /**
     * Whether {@code text} is a valid SemVer prerelease (dot-separated identifiers, no leading zeros in numbers) of at
     * most {@value #MAX_PRERELEASE_LENGTH} characters.
     */
    public static boolean isValidPrerelease(String text) {
        return text != null
                && text.length() <= MAX_PRERELEASE_LENGTH
                && PRERELEASE_PATTERN.matcher(text).matches();
    }

    private static boolean fitsInt(String... fields) {
        for (String f : fields) {
            if (f != null && (f.length() > MAX_FIELD_DIGITS)) {
                return false;
            }
        }
        return true;
    }

    /** A user's value for a message: quoted, and cut short (with its length) when it is long. */
    static String quote(String text) {
        if (text == null || text.length() <= 40) {
            return "'" + text + "'";
        }
        return "'" + text.substring(0, 24) + "…' (" + text.length() + " characters)";
    }

    private static String normaliseDots(String text) {
        long dots = text.chars().filter(c -> c == '.').count();
        if (dots > 2) {
            String[] parts = text.split("\\.", -1);
            return parts[0] + "." + parts[1] + "." + parts[2];
        }
        if (dots == 1) {
            return text + ".0";
        }
        return text;
    }

    public boolean isPrerelease() {
        return prerelease != null;
    }

    public SemVer withPrerelease(String newPrerelease) {
        return new SemVer(major, minor, patch, newPrerelease);
    }

    public SemVer withoutPrerelease() {
        return new SemVer(major, minor, patch, null);
    }

    public SemVer bumpPatch() {
        return new SemVer(major, minor, patch + 1, null);
    }

    public SemVer bumpMinor() {
        return new SemVer(major, minor + 1, 0, null);
    }

    public SemVer bumpMajor() {
        return new SemVer(major + 1, 0, 0, null);
    }

    /** {@code M.m.p} without prerelease. */
    public String core() {
        return major + "." + minor + "." + patch;
    }

    @Override
    public String toString() {
        return prerelease == null ? core() : core() + "-" + prerelease;
    }

    private static final Comparator<SemVer> ORDER = Comparator.comparingInt(SemVer::major)
            .thenComparingInt(SemVer::minor)
            .thenComparingInt(SemVer::patch)
            .thenComparing(SemVer::prerelease, SemVer::comparePrerelease);

    /** SemVer 2.0 precedence: a prerelease sorts before its release; identifiers compare numerically or lexically. */
    @Override
    public int compareTo(SemVer other) {
        return ORDER.compare(this, other);
    }

    private static int comparePrerelease(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].chars().allMatch(Character::isDigit);
            boolean yn = y[i].chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            } else if (xn || yn) {
                c = xn ? -1 : 1;
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
