package io.smdrelease.conda;

import io.smdrelease.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packages of a conda env file: an {@code env.in} of match specs ({@code conda-forge::numpy[version='>=1.26']})
 * or an {@code env.out} explicit list ({@code @EXPLICIT} then package URLs). Reads like the original tool's conda
 * 25.3.1 {@code RequirementsSpec}: blank and {@code #} lines are skipped, packages are keyed by lower-cased name, a
 * duplicate keeps its first position and its last value.
 */
public final class EnvFile {
    private final String source;
    private final Map<String, MatchSpec> packages;

    private EnvFile(String source, Map<String, MatchSpec> packages) {
        this.source = source;
        this.packages = Collections.unmodifiableMap(packages);
    }

    /** A file that does not exist reads as empty, as in the original tool. */
    public static EnvFile empty(String source) {
        return new EnvFile(source, new LinkedHashMap<>());
    }

    /**
     * Parses an env file.
     *
     * @param source the file's path, for messages
     * @throws InvalidInputException naming the file and line when a line is not a package, or when the file has no
     *                               package at all
     */
    public static EnvFile parse(String source, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        Map<String, MatchSpec> packages = new LinkedHashMap<>();
        int lineNumber = 0;
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            lineNumber++;
            String line = text.substring(start, end).strip();
            start = end + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            MatchSpec spec;
            try {
                spec = MatchSpecs.parseLine(line);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(source + " line " + lineNumber + ": " + e.getMessage());
            }
            packages.put(spec.key(), spec);
        }
        if (packages.isEmpty()) {
            throw new InvalidInputException(source + " lists no package: an env file needs at least one package line"
                    + " (remove the file if the image needs none)");
        }
        return new EnvFile(source, packages);
    }

    public String source() {
        return source;
    }

    /** The packages in file order, keyed by lower-cased name. */
    public Map<String, MatchSpec> packages() {
        return packages;
    }

    public boolean isEmpty() {
        return packages.isEmpty();
    }

    public boolean contains(String key) {
        return packages.containsKey(key);
    }

    public MatchSpec get(String key) {
        return packages.get(key);
    }

    /** Whether the file is an explicit package list ({@code @EXPLICIT}) rather than match specs. */
    public boolean isExplicit() {
        return packages.containsKey(MatchSpec.EXPLICIT_MARKER);
    }
}
