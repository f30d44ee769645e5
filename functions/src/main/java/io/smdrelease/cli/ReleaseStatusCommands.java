package io.smdrelease.cli;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.GateResult;
import io.smdrelease.release.ReleaseRecord;
import io.smdrelease.release.VersionStatus;
import io.smdrelease.release.VersionStatuses;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code release list} and {@code release status}: where versions stand, read from the store. */
final class ReleaseStatusCommands {
    private ReleaseStatusCommands() {}

    @Command(
            name = "list",
            description = "Every version of the store, newest first, with its lifecycle state (generated, candidate,"
                    + " gated, released, yanked, failed), since when and the execution that brought it there.")
    static final class ListVersions extends ReleaseCommandBase {
        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        protected ExitCode run() throws Exception {
            ArtifactStore store = storeOptions.open();
            List<VersionStatus> versions = new VersionStatuses(store).list();
            if (json) {
                out().println(JsonOutput.pretty(versions));
                return ExitCode.OK;
            }
            if (versions.isEmpty()) {
                out().println("No version in " + store.location());
                return ExitCode.OK;
            }
            int width =
                    versions.stream().mapToInt(v -> v.version().length()).max().orElse(7);
            String format = "%-" + Math.max(7, width) + "s  %-9s  %-24s  %s%n";
            out().printf(format, "VERSION", "STATE", "SINCE", "EXECUTION");
            for (VersionStatus v : versions) {
                out().printf(format, v.version(), v.state().label(), toSeconds(v.since()), orDash(v.execution()));
            }
            out().flush();
            return ExitCode.OK;
        }
    }

    @Command(
            name = "status",
            description = "One version in detail: its lifecycle state, the candidates' digests, the gates and waivers,"
                    + " a pending approval, where its release.json is, the repositories and tags, a yank or failure.")
    static final class Status extends ReleaseCommandBase {
        @Parameters(paramLabel = "VERSION", description = "The version, e.g. 4.4.1.")
        String version;

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        protected ExitCode run() throws Exception {
            SemVer parsed = versionOf(version);
            ArtifactStore store = storeOptions.open();
            VersionStatus status = new VersionStatuses(store)
                    .read(parsed)
                    .orElseThrow(() -> new BaseNotFoundException("no version " + parsed + " in " + store.location()
                            + ": release list shows the versions there (--store s3://BUCKET or --root DIR)"));
            if (json) {
                out().println(JsonOutput.pretty(status));
            } else {
                print(out(), status, store.location());
            }
            return ExitCode.OK;
        }

        static void print(PrintWriter out, VersionStatus s, String location) {
            out.println(s.version() + ": " + s.state().label() + (s.since() == null ? "" : " since " + s.since()));
            out.println("  directory   " + JsonOutput.where(location, s.versionDir()));
            if (s.execution() != null) {
                out.println("  execution   " + s.execution());
            }
            for (Map.Entry<String, Candidate> c : s.candidates().entrySet()) {
                Candidate candidate = c.getValue();
                out.println("  candidate   " + c.getKey() + "  "
                        + (candidate.isStaged()
                                ? candidate.repository() + "@" + candidate.digest() + " (" + candidate.tag() + ")"
                                : "not pushed (local build)"));
            }
            if (s.gates() != null) {
                out.println("  gates       " + (s.gates().passed() ? "passed" : "FAILED") + " at "
                        + s.gates().evaluatedAt());
                for (GateResult r : s.gates().results()) {
                    out.println("    " + r.status() + "  " + r.describe());
                }
            }
            if (s.approval() != null) {
                out.println("  approval    waiting since " + s.approval().requestedAt() + " (execution "
                        + s.approval().execution() + "): release approve|reject --target-patch-version "
                        + s.version());
            }
            ReleaseRecord release = s.release();
            if (release != null) {
                out.println("  released    " + release.releasedAt() + " from " + orDash(release.sourceVersion()));
                out.println("  release     " + JsonOutput.where(location, s.versionDir() + "/release.json"));
                release.images()
                        .forEach((type, image) -> image.repositories()
                                .forEach((repo, tags) -> out.println("  image       " + type + "  "
                                        + image.stagedDigest() + "  " + repo + ": " + String.join(" ", tags))));
                release.images().forEach((type, image) -> {
                    if (image.signature() != null) {
                        out.println("  signature   " + type + "  "
                                + image.signature().manifest() + " signed "
                                + image.signature().signedAt() + " by certificate sha256:"
                                + image.signature().certificateSha256());
                    }
                    if (image.sbom() != null && image.sbom().manifest() != null) {
                        out.println("  sbom        " + type + "  "
                                + image.sbom().manifest() + " (" + image.sbom().path() + ")");
                    }
                });
                for (GateResult r : release.gates()) {
                    if (r.status() == io.smdrelease.gates.GateStatus.WAIVED) {
                        out.println("  waiver      " + r.describe());
                    }
                }
            }
            if (s.yank() != null) {
                out.println("  yanked      " + s.yank().at() + " by " + s.yank().by() + ": "
                        + s.yank().reason());
            }
            if (s.failure() != null && s.state() == io.smdrelease.release.LifecycleState.FAILED) {
                out.println("  failed      " + s.failure().failedAt() + ": "
                        + s.failure().error());
                out.println("  cause       " + s.failure().cause());
            }
            out.flush();
        }
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /** An ISO-8601 instant to the second, as the table's column is wide; --json keeps the recorded precision. */
    static String toSeconds(String instant) {
        if (instant == null) {
            return "-";
        }
        try {
            return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
