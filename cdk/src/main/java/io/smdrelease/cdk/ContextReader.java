package io.smdrelease.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads CDK context values of every form (typed JSON from cdk.json, strings from {@code -c}) for {@link PipelineConfig};
 * collects problems instead of stopping at the first, so one run names every bad key.
 */
final class ContextReader {
    private final Function<String, Object> context;
    private final List<String> problems = new ArrayList<>();

    ContextReader(Function<String, Object> context) {
        this.context = context;
    }

    void problem(String message) {
        problems.add(message);
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidContextException(problems);
        }
    }

    private Object raw(String key) {
        Object value = context.apply(key);
        return value instanceof String s && s.isBlank() ? null : value;
    }

    String string(String key, String fallback, Pattern pattern, String expected) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        String s = value.toString().trim();
        if (!(value instanceof String) || !pattern.matcher(s).matches()) {
            problem(key + ": expected " + expected + " but got " + quote(value));
            return fallback;
        }
        return s;
    }

    /**
     * A string the stack cannot do without: when it is missing or malformed, the problem names the key, what it is and
     * {@code howToGet} it.
     */
    String required(String key, Pattern pattern, String expected, String howToGet) {
        Object value = raw(key);
        if (value == null) {
            problem(key + ": required: " + expected + "; " + howToGet);
            return null;
        }
        String s = value.toString().trim();
        if (!(value instanceof String) || !pattern.matcher(s).matches()) {
            problem(key + ": expected " + expected + " but got " + quote(value) + "; " + howToGet);
            return null;
        }
        return s;
    }

    int integer(String key, int fallback, int min, int max) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = value instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
                    ? num.intValue()
                    : Integer.parseInt(value.toString().trim());
            if (n < min || n > max) {
                problem(key + ": expected a whole number from " + min + " to " + max + " but got " + quote(value));
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key + ": expected a whole number from " + min + " to " + max + " but got " + quote(value));
            return fallback;
        }
    }

    boolean bool(String key, boolean fallback) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        problem(key + ": expected true or false but got " + quote(value));
        return fallback;
    }

    /** A JSON array in cdk.json, or a comma-separated string (or JSON array text) from -c. */
    List<String> list(String key, List<String> fallback, Pattern itemPattern, String expected) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                items.add(item == null ? "" : item.toString().trim());
            }
        } else if (value instanceof String s) {
            String text = s.trim();
            if (text.startsWith("[") && text.endsWith("]")) {
                text = text.substring(1, text.length() - 1);
            }
            Arrays.stream(text.split(","))
                    .map(item -> item.trim().replaceAll("^\"|\"$", ""))
                    .filter(item -> !item.isEmpty())
                    .forEach(items::add);
        } else {
            problem(key + ": expected a list of " + expected + "s but got " + quote(value));
            return fallback;
        }
        boolean ok = true;
        for (String item : items) {
            if (!itemPattern.matcher(item).matches()) {
                problem(key + ": expected each entry to be " + expected + " but got " + quote(item));
                ok = false;
            }
        }
        return ok ? List.copyOf(items) : fallback;
    }

    Path path(String key, String fallback, Path baseDir) {
        Object value = raw(key);
        String s = value == null ? fallback : value.toString().trim();
        if (value != null && !(value instanceof String)) {
            problem(key + ": expected a file path but got " + quote(value));
            return null;
        }
        return baseDir.resolve(s).toAbsolutePath().normalize();
    }

    /**
     * {@link #path}, which must hold the regular file {@code inside} (empty: be one); when it does not, the problem
     * names the file and ends with {@code fix}.
     */
    Path file(String key, String fallback, Path baseDir, String inside, String fix) {
        Path path = path(key, fallback, baseDir);
        if (path != null && !Files.isRegularFile(path.resolve(inside))) {
            problem(key + ": " + path.resolve(inside) + " does not exist" + fix);
        }
        return path;
    }

    private static String quote(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
