package io.smdrelease.store;

/** Validation and joining of store paths, so that no input can reach outside the store's root. */
public final class StorePaths {
    private StorePaths() {}

    /** Returns {@code path} when it is a clean relative path; throws otherwise. */
    public static String check(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty store path");
        }
        if (path.startsWith("/") || path.contains("\\") || path.endsWith("/")) {
            throw new IllegalArgumentException("store path must be relative and '/'-separated: " + path);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("store path has an empty, '.' or '..' segment: " + path);
            }
        }
        return path;
    }

    public static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** The last segment of a path. */
    public static String name(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The path relative to {@code dir}, which must be an ancestor. */
    public static String relativize(String dir, String path) {
        if (dir.isEmpty()) {
            return path;
        }
        if (!path.startsWith(dir + "/")) {
            throw new IllegalArgumentException(path + " is not below " + dir);
        }
        return path.substring(dir.length() + 1);
    }
}
