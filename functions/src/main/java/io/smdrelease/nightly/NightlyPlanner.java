package io.smdrelease.nightly;

import io.smdrelease.version.ReleaseType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Which releases a night starts: one per base version of the schedule, with the matching release type, forced. */
public final class NightlyPlanner {
    private NightlyPlanner() {}

    /**
     * One nightly release.
     *
     * @param executionName {@code nightly-<type>-<base>-<date>}, unique per night, so that a re-run of the same night
     *                      is refused by Step Functions instead of building twice
     */
    public record NightlyRelease(String executionName, ReleaseType releaseType, String basePatchVersion) {}

    public static List<NightlyRelease> plan(NightlySchedule schedule, LocalDate night) {
        List<NightlyRelease> out = new ArrayList<>();
        add(out, ReleaseType.PATCH, schedule.patchBaseVersions(), night);
        add(out, ReleaseType.MINOR, schedule.minorBaseVersions(), night);
        add(out, ReleaseType.MAJOR, schedule.majorBaseVersions(), night);
        return out;
    }

    private static void add(List<NightlyRelease> out, ReleaseType type, List<String> bases, LocalDate night) {
        for (String base : bases) {
            out.add(new NightlyRelease("nightly-" + type.id() + "-" + base + "-" + night, type, base));
        }
    }
}
