package io.smdrelease.gates;

import io.smdrelease.version.SemVer;
import io.smdrelease.vulnerability.CveAllowlist;
import io.smdrelease.vulnerability.ImageScan;
import io.smdrelease.vulnerability.Vulnerability;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * New fixable vulnerabilities of each candidate against its base release: the candidate's findings whose vulnerability
 * (in the same package) the base's staged image does not have today. Both are asked of the same scanner now, so a
 * vulnerability published since the base's release shows in both and is not new. The regression gate's part that
 * needs a scanner.
 */
public final class CveDelta {
    private final CandidateScans scans;
    private final CveAllowlist allowlist;
    private final Function<SemVer, Map<String, Candidate>> releasedImages;
    private final Clock clock;

    /**
     * What one image type brought.
     *
     * @param added new fixable vulnerabilities no allowlist entry allows
     * @param notes what was compared, allowed, or why nothing could be
     */
    record Outcome(List<Vulnerability> added, List<String> notes) {}

    /**
     * @param scans          the candidates' scans, shared with the CVE gate
     * @param releasedImages a released version's staged images by image type (its release.json), empty for none
     */
    public CveDelta(
            CandidateScans scans,
            CveAllowlist allowlist,
            Function<SemVer, Map<String, Candidate>> releasedImages,
            Clock clock) {
        this.scans = scans;
        this.allowlist = allowlist;
        this.releasedImages = releasedImages;
        this.clock = clock;
    }

    Map<String, Outcome> compare(GateContext context, SemVer base) {
        Map<String, CandidateScans.Waited> candidates = scans.await(context.images());
        Map<String, Candidate> baseImages = releasedImages.apply(base);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (CandidateImage image : context.images()) {
            String type = image.imageType();
            CandidateScans.Waited waited = candidates.get(type);
            Candidate baseImage = baseImages.get(type);
            if (waited == null || !waited.scan().complete()) {
                outcomes.put(type, notCompared("the candidate has no complete scan (see the cve gate)"));
            } else if (baseImage == null || !baseImage.isStaged()) {
                outcomes.put(type, notCompared(base + "'s release.json records no staged " + type + " image"));
            } else {
                ImageScan baseScan = scans.findings().findingsOf(baseImage.repository(), baseImage.digest());
                outcomes.put(
                        type,
                        baseScan.complete()
                                ? delta(
                                        waited.scan().findings(),
                                        baseScan.findings(),
                                        allowlist,
                                        today,
                                        base + " (" + baseImage.digest() + ")")
                                : notCompared("the base's image " + baseImage.digest() + " has no complete scan ("
                                        + baseScan.status() + ")"));
            }
        }
        return outcomes;
    }

    /**
     * The candidate's fixable vulnerabilities that the base does not have (same id, same package), less those the
     * allowlist allows on {@code today}.
     *
     * @param against the base, for the notes: {@code 4.4.0 (sha256:…)}
     */
    static Outcome delta(
            List<Vulnerability> candidate,
            List<Vulnerability> base,
            CveAllowlist allowlist,
            LocalDate today,
            String against) {
        Set<String> before = new HashSet<>();
        base.forEach(v -> before.add(v.key()));
        Set<String> now = new HashSet<>();
        candidate.forEach(v -> now.add(v.key()));
        List<Vulnerability> added = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Vulnerability v : new java.util.LinkedHashSet<>(candidate)) {
            if (!v.fixable() || before.contains(v.key())) {
                continue;
            }
            Optional<CveAllowlist.Entry> entry = allowlist.entry(v.id());
            if (entry.isPresent() && entry.get().allowsOn(today)) {
                notes.add("allowed new vulnerability: " + v.describe() + " by " + CveAllowlist.FILE + " until "
                        + entry.get().expires() + ": " + entry.get().reason());
            } else {
                added.add(v);
            }
        }
        long fixed = before.stream().filter(k -> !now.contains(k)).count();
        notes.add("vulnerabilities against " + against + ": " + added.size() + " new fixable, " + fixed + " gone");
        return new Outcome(added, notes);
    }

    private static Outcome notCompared(String why) {
        return new Outcome(List.of(), List.of("vulnerabilities not compared: " + why));
    }
}
