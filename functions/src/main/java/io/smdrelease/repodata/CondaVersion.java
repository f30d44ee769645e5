package io.smdrelease.repodata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conda version string with conda's order ({@code conda.models.version.VersionOrder}, conda 25.3.1).
 *
 * <p>The string is lower-cased; {@code -} becomes {@code _} when the string has no {@code _}. It splits into an epoch
 * (before {@code !}, default 0), the version, and a local version (after {@code +}); each of those into components at
 * {@code .} and {@code _}, and each component into runs of digits (numbers) and non-digits (strings). A component
 * that starts with a string gets a leading 0, so {@code 1.1.a1} equals {@code 1.1.0a1}. A trailing {@code _} stays
 * with the last component ({@code 1.1_}, the openssl convention). Subcomponents compare as: numbers numerically,
 * strings lexicographically, strings before numbers, {@code dev} before every other string (and after {@code *}),
 * {@code post} after every number; a missing subcomponent or component counts as 0, so {@code 1.1 == 1.1.0}. The
 * local version only decides between otherwise equal versions.
 */
public final class CondaVersion implements Comparable<CondaVersion> {
    private static final Pattern VALID = Pattern.compile("[*.+!_0-9a-z]+");
    private static final Pattern RUNS = Pattern.compile("[0-9]+|[*]+|[^0-9*]+");
    /** {@code post}: greater than every number. */
    private static final Object POST = new Object() {
        @Override
        public String toString() {
            return "post";
        }
    };
    /** {@code dev} sorts like conda's upper-cased {@code "DEV"}: after {@code *}, before {@code _} and letters. */
    private static final String DEV = "DEV";

    private static final Long ZERO = 0L;

    private final String normalized;
    private final Object[][] version;
    private final Object[][] local;

    private CondaVersion(String normalized, Object[][] version, Object[][] local) {
        this.normalized = normalized;
        this.version = version;
        this.local = local;
    }

    /**
     * Parses a version string.
     *
     * @throws IllegalArgumentException saying why the string is not a conda version
     */
    public static CondaVersion parse(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        boolean valid = VALID.matcher(v).matches();
        if (!valid && v.indexOf('-') >= 0 && v.indexOf('_') < 0) {
            v = v.replace('-', '_');
            valid = VALID.matcher(v).matches();
        }
        if (!valid) {
            throw invalid(text, "it has characters other than letters, digits and . _ + ! *");
        }
        String normalized = v;
        String epoch = "0";
        int bang = v.indexOf('!');
        if (bang >= 0) {
            if (v.indexOf('!', bang + 1) >= 0) {
                throw invalid(text, "it has more than one epoch separator '!'");
            }
            epoch = v.substring(0, bang);
            if (epoch.isEmpty() || !epoch.chars().allMatch(Character::isDigit)) {
                throw invalid(text, "its epoch is not an integer");
            }
            v = v.substring(bang + 1);
        }
        String localPart = null;
        int plus = v.indexOf('+');
        if (plus >= 0) {
            if (v.indexOf('+', plus + 1) >= 0) {
                throw invalid(text, "it has more than one local version separator '+'");
            }
            localPart = v.substring(plus + 1);
            v = v.substring(0, plus);
        }
        if (v.isEmpty()) {
            throw invalid(text, "it has no version before '+' or after '!'");
        }
        List<String> parts = new ArrayList<>();
        parts.add(epoch);
        if (v.endsWith("_")) {
            List<String> split = split(v.substring(0, v.length() - 1));
            split.set(split.size() - 1, split.get(split.size() - 1) + "_");
            parts.addAll(split);
        } else {
            parts.addAll(split(v));
        }
        Object[][] versionComponents = components(text, parts);
        Object[][] localComponents = localPart == null ? new Object[0][] : components(text, split(localPart));
        return new CondaVersion(normalized, versionComponents, localComponents);
    }

    /** Parses, or returns {@code null} for a string that is not a conda version. */
    public static CondaVersion tryParse(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<String> split(String text) {
        return new ArrayList<>(Arrays.asList(text.replace('_', '.').split("\\.", -1)));
    }

    private static Object[][] components(String text, List<String> parts) {
        Object[][] result = new Object[parts.size()][];
        for (int k = 0; k < parts.size(); k++) {
            String part = parts.get(k);
            List<Object> runs = new ArrayList<>();
            Matcher m = RUNS.matcher(part);
            while (m.find()) {
                String run = m.group();
                if (Character.isDigit(run.charAt(0))) {
                    runs.add(run.length() > 18 ? Long.MAX_VALUE : Long.parseLong(run));
                } else if (run.equals("post")) {
                    runs.add(POST);
                } else if (run.equals("dev")) {
                    runs.add(DEV);
                } else {
                    runs.add(run);
                }
            }
            if (runs.isEmpty()) {
                throw invalid(text, "it has an empty component (two separators in a row, or one at an end)");
            }
            if (!Character.isDigit(part.charAt(0))) {
                runs.add(0, ZERO);
            }
            result[k] = runs.toArray();
        }
        return result;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a conda version: " + why);
    }

    /** The lower-cased string ({@code -} turned into {@code _} where conda does). */
    public String normalized() {
        return normalized;
    }

    @Override
    public int compareTo(CondaVersion other) {
        int c = compare(version, other.version);
        return c != 0 ? c : compare(local, other.local);
    }

    private static int compare(Object[][] t1, Object[][] t2) {
        int n = Math.max(t1.length, t2.length);
        for (int i = 0; i < n; i++) {
            Object[] v1 = i < t1.length ? t1[i] : EMPTY;
            Object[] v2 = i < t2.length ? t2[i] : EMPTY;
            int m = Math.max(v1.length, v2.length);
            for (int j = 0; j < m; j++) {
                Object c1 = j < v1.length ? v1[j] : ZERO;
                Object c2 = j < v2.length ? v2[j] : ZERO;
                int c = compareSub(c1, c2);
                if (c != 0) {
                    return c;
                }
            }
        }
        return 0;
    }

    private static final Object[] EMPTY = new Object[0];

    private static int compareSub(Object c1, Object c2) {
        if (c1 instanceof String s1) {
            return c2 instanceof String s2 ? Integer.signum(s1.compareTo(s2)) : -1;
        }
        if (c2 instanceof String) {
            return 1;
        }
        if (c1 == POST) {
            return c2 == POST ? 0 : 1;
        }
        if (c2 == POST) {
            return -1;
        }
        return Long.compare((Long) c1, (Long) c2);
    }

    /**
     * conda's {@code startswith}: whether this version matches {@code prefix} up to its last subcomponent, as
     * {@code 1.2.*} does ({@code 1.2}, {@code 1.2.3}, {@code 1.2rc1}... but not {@code 1.20}).
     */
    public boolean startsWith(CondaVersion prefix) {
        Object[][] t1;
        Object[][] t2;
        if (prefix.local.length > 0) {
            if (compare(version, prefix.version) != 0) {
                return false;
            }
            t1 = local;
            t2 = prefix.local;
        } else {
            t1 = version;
            t2 = prefix.version;
        }
        int nt = t2.length - 1;
        if (compare(Arrays.copyOf(t1, Math.min(nt, t1.length)), Arrays.copyOf(t2, nt)) != 0) {
            return false;
        }
        Object[] v1 = t1.length <= nt ? EMPTY : t1[nt];
        Object[] v2 = t2[nt];
        int ns = v2.length - 1;
        Object[][] head1 = {Arrays.copyOf(v1, Math.min(ns, v1.length))};
        Object[][] head2 = {Arrays.copyOf(v2, ns)};
        if (compare(head1, head2) != 0) {
            return false;
        }
        Object c1 = v1.length <= ns ? ZERO : v1[ns];
        Object c2 = v2[ns];
        if (c2 instanceof String s2) {
            return c1 instanceof String s1 && s1.startsWith(s2);
        }
        return compareSub(c1, c2) == 0 && !(c1 instanceof String);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CondaVersion other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(trimmed(version)) * 31 + Arrays.deepHashCode(trimmed(local));
    }

    /** Without the trailing zeros and empty components that comparison treats as absent. */
    private static Object[][] trimmed(Object[][] t) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] v : t) {
            int end = v.length;
            while (end > 0 && ZERO.equals(v[end - 1])) {
                end--;
            }
            out.add(Arrays.copyOf(v, end));
        }
        while (!out.isEmpty() && out.get(out.size() - 1).length == 0) {
            out.remove(out.size() - 1);
        }
        return out.toArray(new Object[0][]);
    }

    @Override
    public String toString() {
        return normalized;
    }
}
