package io.smdrelease.repodata;

import java.util.List;

/**
 * One package file of a channel's repodata.
 *
 * @param size        the package file's size in bytes (0 when the repodata gives none)
 * @param timestamp   the build time as the repodata gives it (milliseconds since the epoch; old records: seconds, or
 *                    0 when absent)
 * @param condaFormat whether it is a {@code .conda} file (section {@code packages.conda}) rather than a
 *                    {@code .tar.bz2}
 * @param source      the repodata it came from, e.g. {@code .../linux-64/repodata.json.zst}
 */
public record PackageRecord(
        String name,
        String version,
        String build,
        int buildNumber,
        long size,
        long timestamp,
        List<String> depends,
        boolean condaFormat,
        String source) {}
