package io.smdrelease.conda;

import java.util.regex.Pattern;

/** Parses single env-file lines into {@link MatchSpec}s the way conda 25.3.1 names them. */
public final class MatchSpecs {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");
    private static final String NAME_TERMINATORS = " =<>!~";
    private static final String[] PACKAGE_EXTENSIONS = {".conda", ".tar.bz2"};
    private static final String[] SUBDIRS = {
        "noarch",
        "linux-64",
        "linux-aarch64",
        "linux-ppc64le",
        "linux-s390x",
        "linux-32",
        "linux-armv7l",
        "osx-64",
        "osx-arm64",
        "win-64",
        "win-32",
        "win-arm64",
        "emscripten-wasm32",
        "wasi-wasm32",
        "zos-z"
    };

    private MatchSpecs() {}

    /**
     * Parses one stripped, non-blank, non-comment line.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with the line
     */
    public static MatchSpec parseLine(String line) {
        if (line.equals("@EXPLICIT")) {
            return new MatchSpec(MatchSpec.EXPLICIT_MARKER, null, null, null);
        }
        String withoutHash = cutAt(line, '#').strip();
        for (String extension : PACKAGE_EXTENSIONS) {
            if (withoutHash.endsWith(extension)) {
                return parseExplicitUrl(line, withoutHash, extension);
            }
        }
        return parseSpec(line);
    }

    /** An explicit package URL: {@code https://conda.anaconda.org/<channel>/<subdir>/<name>-<version>-<build>.conda}. */
    private static MatchSpec parseExplicitUrl(String line, String url, String extension) {
        int slash = url.lastIndexOf('/');
        String fileName = url.substring(slash + 1, url.length() - extension.length());
        int buildDash = fileName.lastIndexOf('-');
        int versionDash = buildDash <= 0 ? -1 : fileName.lastIndexOf('-', buildDash - 1);
        if (versionDash <= 0) {
            throw new IllegalArgumentException("'" + line + "' is a package URL but its file name is not"
                    + " <name>-<version>-<build>" + extension);
        }
        String name = fileName.substring(0, versionDash);
        String version = fileName.substring(versionDash + 1, buildDash);
        String build = fileName.substring(buildDash + 1);
        return new MatchSpec(name, channelOf(slash < 0 ? "" : url.substring(0, slash)), "==" + version, build);
    }

    /**
     * conda's canonical channel name of a package's directory URL: {@code https://conda.anaconda.org/conda-forge/linux-64}
     * is {@code conda-forge}, {@code https://repo.anaconda.com/pkgs/main/noarch} is {@code pkgs/main}; other hosts keep
     * their URL without the subdir.
     */
    static String channelOf(String directoryUrl) {
        String dir = directoryUrl;
        for (String subdir : SUBDIRS) {
            if (dir.endsWith("/" + subdir)) {
                dir = dir.substring(0, dir.length() - subdir.length() - 1);
                break;
            }
        }
        for (String host : new String[] {
            "https://conda.anaconda.org/",
            "http://conda.anaconda.org/",
            "https://repo.anaconda.com/",
            "http://repo.anaconda.com/"
        }) {
            if (dir.startsWith(host)) {
                return dir.substring(host.length());
            }
        }
        return dir.isEmpty() ? null : dir;
    }

    /**
     * A match spec such as {@code conda-forge::numpy[version='>=1.26,<2']} or {@code numpy >=1.26}: the name is the text
     * after the last {@code :}, without {@code [...]} and {@code (...)}, up to the first of {@code " =<>!~"}.
     */
    private static MatchSpec parseSpec(String line) {
        String bracket = null;
        String rest = line;
        int open = rest.indexOf('[');
        if (open >= 0) {
            int close = rest.lastIndexOf(']');
            if (close < open) {
                throw new IllegalArgumentException("'" + line + "' opens '[' without closing it");
            }
            bracket = rest.substring(open + 1, close);
            rest = rest.substring(0, open) + rest.substring(close + 1);
        } else if (rest.indexOf(']') >= 0) {
            throw new IllegalArgumentException("'" + line + "' closes ']' without opening it");
        }
        int paren = rest.indexOf('(');
        if (paren >= 0) {
            int close = rest.lastIndexOf(')');
            if (close < paren) {
                throw new IllegalArgumentException("'" + line + "' opens '(' without closing it");
            }
            rest = rest.substring(0, paren) + rest.substring(close + 1);
        }
        String channel = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            channel = stripTrailingColons(rest.substring(0, colon));
            rest = rest.substring(colon + 1);
        }
        rest = rest.strip();
        int end = 0;
        while (end < rest.length() && NAME_TERMINATORS.indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String name = rest.substring(0, end);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cannot read a package name from '" + line
                    + "': write a match spec such as conda-forge::numpy[version='>=1.26,<2']");
        }
        String version = rest.substring(end).strip();
        String bracketVersion = bracket == null ? null : bracketValue(bracket, "version");
        if (bracketVersion != null) {
            version = bracketVersion;
        }
        return new MatchSpec(
                name, channel == null || channel.isEmpty() ? null : channel, version.isEmpty() ? null : version, null);
    }

    private static String bracketValue(String bracket, String key) {
        for (String part : bracket.split(",(?=\\s*\\w+\\s*=)")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(key)) {
                String value = part.substring(eq + 1).strip();
                if (value.length() >= 2
                        && (value.charAt(0) == '\'' || value.charAt(0) == '"')
                        && value.charAt(value.length() - 1) == value.charAt(0)) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }

    private static String stripTrailingColons(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ':') {
            end--;
        }
        return text.substring(0, end).strip();
    }

    private static String cutAt(String text, char c) {
        int i = text.indexOf(c);
        return i < 0 ? text : text.substring(0, i);
    }
}
