package io.smdrelease.repodata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The package records of one or more repodata files (a channel's {@code linux-64} and {@code noarch}), by name.
 *
 * <p>Compact: a record is a row of parallel arrays; names, versions, builds and dependency strings are interned
 * while parsing, so each distinct string is held once. Versions are parsed into {@link CondaVersion}s only when a
 * query needs them.
 */
public final class RepodataIndex {
    private static final String[] NO_DEPENDS = new String[0];

    private final List<String> sources;
    private final String[] names;
    private final String[] versions;
    private final String[] builds;
    private final int[] buildNumbers;
    private final long[] sizes;
    private final long[] timestamps;
    private final String[][] depends;
    private final byte[] flags;
    private final Map<String, int[]> byName;

    private static final int CONDA_FORMAT = 1;

    private RepodataIndex(Builder b) {
        int n = b.count;
        this.sources = List.copyOf(b.sources);
        this.names = Arrays.copyOf(b.names, n);
        this.versions = Arrays.copyOf(b.versions, n);
        this.builds = Arrays.copyOf(b.builds, n);
        this.buildNumbers = Arrays.copyOf(b.buildNumbers, n);
        this.sizes = Arrays.copyOf(b.sizes, n);
        this.timestamps = Arrays.copyOf(b.timestamps, n);
        this.depends = Arrays.copyOf(b.depends, n);
        this.flags = Arrays.copyOf(b.flags, n);
        Map<String, int[]> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int[] c = counts.computeIfAbsent(names[i], k -> new int[1]);
            c[0]++;
        }
        this.byName = new HashMap<>(counts.size() * 2);
        Map<String, int[]> fill = new HashMap<>(counts.size() * 2);
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            byName.put(e.getKey(), new int[e.getValue()[0]]);
            fill.put(e.getKey(), new int[1]);
        }
        for (int i = 0; i < n; i++) {
            int[] rows = byName.get(names[i]);
            int[] next = fill.get(names[i]);
            rows[next[0]++] = i;
        }
    }

    /** The files or URLs the records came from, in reading order. */
    public List<String> sources() {
        return sources;
    }

    public int recordCount() {
        return names.length;
    }

    public int packageCount() {
        return byName.size();
    }

    public boolean contains(String name) {
        return byName.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Every record of a package (both formats, every subdir), in reading order; empty when the index has none. */
    public List<PackageRecord> records(String name) {
        int[] rows = byName.get(name.toLowerCase(Locale.ROOT));
        if (rows == null) {
            return List.of();
        }
        List<PackageRecord> out = new ArrayList<>(rows.length);
        for (int row : rows) {
            out.add(record(row));
        }
        return out;
    }

    /**
     * The newest record whose version the filter admits: highest version, then highest build number, then
     * {@code .conda} over {@code .tar.bz2}, then newest timestamp. Versions conda cannot read are skipped.
     */
    public Optional<PackageRecord> newest(String name, Predicate<CondaVersion> filter) {
        int[] rows = byName.get(name.toLowerCase(Locale.ROOT));
        if (rows == null) {
            return Optional.empty();
        }
        Map<String, CondaVersion> parsed = new HashMap<>();
        int best = -1;
        CondaVersion bestVersion = null;
        for (int row : rows) {
            CondaVersion v = parsed.computeIfAbsent(versions[row], CondaVersion::tryParse);
            if (v == null || !filter.test(v)) {
                continue;
            }
            if (best < 0) {
                best = row;
                bestVersion = v;
                continue;
            }
            int c = v.compareTo(bestVersion);
            if (c == 0) {
                c = compareBuild(row, best);
            }
            if (c > 0) {
                best = row;
                bestVersion = v;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(record(best));
    }

    /**
     * The record of an installed version ({@code 1.26.4} as an env.out names it): among the records with an equal
     * version, the highest build number, {@code .conda} first. Empty when the index has no such version.
     */
    public Optional<PackageRecord> find(String name, String version) {
        CondaVersion wanted = CondaVersion.tryParse(version);
        if (wanted == null) {
            return Optional.empty();
        }
        return newest(name, v -> v.compareTo(wanted) == 0);
    }

    /** The record of one exact build, e.g. from an env.out URL; empty when the index has none. */
    public Optional<PackageRecord> find(String name, String version, String build) {
        int[] rows = byName.get(name.toLowerCase(Locale.ROOT));
        if (rows == null) {
            return Optional.empty();
        }
        int best = -1;
        for (int row : rows) {
            if (versions[row].equals(version)
                    && builds[row].equals(build)
                    && (best < 0 || compareBuild(row, best) > 0)) {
                best = row;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(record(best));
    }

    /** Between records of equal versions: higher build number, then .conda, then newer. */
    private int compareBuild(int a, int b) {
        int c = Integer.compare(buildNumbers[a], buildNumbers[b]);
        if (c == 0) {
            c = Integer.compare(flags[a] & CONDA_FORMAT, flags[b] & CONDA_FORMAT);
        }
        return c != 0 ? c : Long.compare(timestamps[a], timestamps[b]);
    }

    private PackageRecord record(int row) {
        return new PackageRecord(
                names[row],
                versions[row],
                builds[row],
                buildNumbers[row],
                sizes[row],
                timestamps[row],
                List.of(depends[row]),
                (flags[row] & CONDA_FORMAT) != 0,
                sources.get(flags[row] >>> 1));
    }

    /** Collects records while a {@link RepodataReader} parses. */
    static final class Builder {
        private final List<String> sources = new ArrayList<>();
        private StringPool pool = new StringPool();
        private int count;
        private String[] names = new String[1024];
        private String[] versions = new String[1024];
        private String[] builds = new String[1024];
        private int[] buildNumbers = new int[1024];
        private long[] sizes = new long[1024];
        private long[] timestamps = new long[1024];
        private String[][] depends = new String[1024][];
        private byte[] flags = new byte[1024];

        StringPool pool() {
            return pool;
        }

        /** Starts a new source; records added after it belong to it. At most 127 sources. */
        int addSource(String source) {
            if (sources.size() >= 127) {
                throw new IllegalStateException("more than 127 repodata sources");
            }
            sources.add(source);
            return sources.size() - 1;
        }

        void add(
                String name,
                String version,
                String build,
                int buildNumber,
                long size,
                long timestamp,
                String[] recordDepends,
                boolean condaFormat,
                int source) {
            if (count == names.length) {
                int n = count * 2;
                names = Arrays.copyOf(names, n);
                versions = Arrays.copyOf(versions, n);
                builds = Arrays.copyOf(builds, n);
                buildNumbers = Arrays.copyOf(buildNumbers, n);
                sizes = Arrays.copyOf(sizes, n);
                timestamps = Arrays.copyOf(timestamps, n);
                depends = Arrays.copyOf(depends, n);
                flags = Arrays.copyOf(flags, n);
            }
            names[count] = name;
            versions[count] = version;
            builds[count] = build;
            buildNumbers[count] = buildNumber;
            sizes[count] = size;
            timestamps[count] = timestamp;
            depends[count] = recordDepends == null || recordDepends.length == 0 ? NO_DEPENDS : recordDepends;
            flags[count] = (byte) ((source << 1) | (condaFormat ? CONDA_FORMAT : 0));
            count++;
        }

        /**
         * Joins builders read in parallel: the largest is kept and the others' rows appended in source order, their
         * strings re-interned into its pool so that each distinct string is still held once.
         */
        static Builder merge(List<Builder> parts) {
            Builder largest = parts.get(0);
            for (Builder part : parts) {
                if (part.count > largest.count) {
                    largest = part;
                }
            }
            Builder merged = new Builder();
            merged.pool = largest.pool;
            for (Builder part : parts) {
                merged.sources.addAll(part.sources);
            }
            // rows keep their part's order; source indexes are remapped to the position of the part's sources
            int sourceOffset = 0;
            for (Builder part : parts) {
                boolean adopted = part == largest;
                for (int i = 0; i < part.count; i++) {
                    String[] rowDepends = part.depends[i];
                    if (!adopted) {
                        for (int d = 0; d < rowDepends.length; d++) {
                            rowDepends[d] = merged.pool.intern(rowDepends[d]);
                        }
                    }
                    merged.add(
                            adopted ? part.names[i] : merged.pool.intern(part.names[i]),
                            adopted ? part.versions[i] : merged.pool.intern(part.versions[i]),
                            adopted ? part.builds[i] : merged.pool.intern(part.builds[i]),
                            part.buildNumbers[i],
                            part.sizes[i],
                            part.timestamps[i],
                            rowDepends,
                            (part.flags[i] & CONDA_FORMAT) != 0,
                            sourceOffset + (part.flags[i] >>> 1));
                }
                sourceOffset += part.sources.size();
            }
            return merged;
        }

        RepodataIndex build() {
            return new RepodataIndex(this);
        }
    }
}
