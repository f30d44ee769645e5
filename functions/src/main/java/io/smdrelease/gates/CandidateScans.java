package io.smdrelease.gates;

import io.smdrelease.vulnerability.ImageFindings;
import io.smdrelease.vulnerability.ImageScan;
import io.smdrelease.vulnerability.ScanWait;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scans of a release's candidates, waited for once: every staged candidate is asked for in rounds, with the pauses
 * of a {@link ScanWait}, until each scan is complete, the scanner says it never will be, or the bound has passed. The
 * CVE gate and the regression gate share one instance, so the candidates are waited for (and paid for) once.
 */
public final class CandidateScans {
    private final ImageFindings findings;
    private final ScanWait wait;
    private final Clock clock;
    private final ScanWait.Sleeper sleeper;
    private final Map<String, Waited> waited = new LinkedHashMap<>();

    /**
     * The outcome of waiting for one image.
     *
     * @param scan   the last answer: complete, or why not
     * @param rounds how many times the scanner was asked for this image
     * @param waited from the first request to the last answer
     */
    public record Waited(ImageScan scan, int rounds, Duration waited) {}

    public CandidateScans(ImageFindings findings, ScanWait wait, Clock clock, ScanWait.Sleeper sleeper) {
        this.findings = Objects.requireNonNull(findings, "findings");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The scanner, for the images that are not candidates (a base release's). */
    public ImageFindings findings() {
        return findings;
    }

    public ScanWait scanWait() {
        return wait;
    }

    /**
     * Waits for the scans of the staged candidates among {@code images} (those asked before are not asked again).
     *
     * @return per image type of a staged candidate, the outcome
     */
    public synchronized Map<String, Waited> await(List<CandidateImage> images) {
        Map<String, Candidate> pending = new LinkedHashMap<>();
        for (CandidateImage image : images) {
            if (image.candidate().isStaged() && !waited.containsKey(key(image.candidate()))) {
                pending.put(key(image.candidate()), image.candidate());
            }
        }
        Instant start = clock.instant();
        Instant deadline = start.plus(wait.bound());
        Map<String, ImageScan> last = new LinkedHashMap<>();
        Map<String, Integer> rounds = new LinkedHashMap<>();
        for (int round = 0; !pending.isEmpty(); round++) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                ImageScan scan = findings.findingsOf(
                        entry.getValue().repository(), entry.getValue().digest());
                last.put(entry.getKey(), scan);
                rounds.merge(entry.getKey(), 1, Integer::sum);
                if (scan.state() != ImageScan.State.PENDING) {
                    waited.put(entry.getKey(), new Waited(scan, rounds.get(entry.getKey()), since(start)));
                    it.remove();
                }
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (pending.isEmpty() || left.isNegative() || left.isZero()) {
                break;
            }
            Duration pause = wait.delayAfter(round);
            pause(pause.compareTo(left) < 0 ? pause : left);
        }
        pending.keySet().forEach(key -> waited.put(key, new Waited(last.get(key), rounds.get(key), since(start))));
        Map<String, Waited> byType = new LinkedHashMap<>();
        for (CandidateImage image : images) {
            Waited w = waited.get(key(image.candidate()));
            if (w != null) {
                byType.put(image.imageType(), w);
            }
        }
        return byType;
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scans of the candidates", e);
        }
    }

    private static String key(Candidate candidate) {
        return candidate.repository() + "@" + candidate.digest();
    }
}
