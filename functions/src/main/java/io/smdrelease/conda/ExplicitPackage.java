package io.smdrelease.conda;

import io.smdrelease.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One package line of an {@code env.out} explicit list, with everything the line says:
 * {@code https://conda.anaconda.org/conda-forge/linux-64/pytorch-2.8.0-cuda129_mkl_py312_had1c889_302.conda#ec36…}.
 * Name, version, build and channel are read by {@link MatchSpecs#parseLine}, as everywhere else in the tool.
 *
 * @param url         the package URL without its fragment
 * @param channel     {@code conda-forge}, {@code pkgs/main}, or the directory URL for another host
 * @param subdir      the platform directory: {@code linux-64}, {@code noarch}
 * @param packageType the archive format: {@code conda} or {@code tar.bz2}
 * @param md5         the lower-case hex MD5 of the fragment ({@code #<md5>}), or {@code null}
 * @param sha256      the lower-case hex SHA-256 of a {@code #sha256:<hex>} fragment, or {@code null}
 */
public record ExplicitPackage(
        String url,
        String channel,
        String subdir,
        String name,
        String version,
        String build,
        String packageType,
        String md5,
        String sha256) {

    /**
     * The package lines of an env.out in file order; blank, {@code #} and {@code @EXPLICIT} lines are skipped.
     *
     * @param source the file's path, for messages
     * @throws InvalidInputException naming the file and line when a line is not a package URL
     */
    public static List<ExplicitPackage> parseAll(String source, byte[] envOut) {
        String text = new String(envOut, StandardCharsets.UTF_8);
        List<ExplicitPackage> packages = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : (Iterable<String>) text.lines()::iterator) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.equals("@EXPLICIT")) {
                continue;
            }
            try {
                packages.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(source + " line " + lineNumber + ": " + e.getMessage());
            }
        }
        return packages;
    }

    /**
     * Parses one stripped package line.
     *
     * @throws IllegalArgumentException saying what is wrong with the line
     */
    public static ExplicitPackage parse(String line) {
        int hash = line.indexOf('#');
        String url = (hash < 0 ? line : line.substring(0, hash)).strip();
        String fragment = hash < 0 ? "" : line.substring(hash + 1).strip();
        if (!url.contains("://")) {
            throw new IllegalArgumentException("'" + line + "' is not an explicit package URL (an env.out lists"
                    + " https://…/<channel>/<subdir>/<name>-<version>-<build>.conda lines)");
        }
        MatchSpec spec = MatchSpecs.parseLine(url);
        if (spec.build() == null) {
            throw new IllegalArgumentException("'" + line + "' does not end in .conda or .tar.bz2");
        }
        int fileSlash = url.lastIndexOf('/');
        int dirSlash = url.lastIndexOf('/', fileSlash - 1);
        String subdir = url.substring(dirSlash + 1, fileSlash);
        String packageType = url.endsWith(".conda") ? "conda" : "tar.bz2";
        String md5 = null;
        String sha256 = null;
        if (fragment.startsWith("sha256:")) {
            sha256 = hex(fragment.substring("sha256:".length()), 64, line);
        } else if (!fragment.isEmpty()) {
            md5 = hex(fragment, 32, line);
        }
        return new ExplicitPackage(
                url, spec.channel(), subdir, spec.name(), spec.exactVersion(), spec.build(), packageType, md5, sha256);
    }

    private static String hex(String value, int length, String line) {
        if (value.length() != length || !value.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("'" + line + "' has a fragment that is neither an MD5 (32 hex digits)"
                    + " nor sha256:<64 hex digits>");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }
}
