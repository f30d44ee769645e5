package io.smdrelease.gates;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.EnvFile;
import io.smdrelease.conda.ExplicitPackage;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The regression gate: each candidate against its base release. A patch release removes none of the packages the
 * distribution asks for (those its env.in names), downgrades none and brings no new fixable vulnerability, unless the
 * input names the package ({@code allowRegressions}) or the distribution's allowlist the vulnerability; for a minor or
 * major release the same findings are reported, not blocking. Removed or downgraded dependencies nobody asked for are
 * reported, not blocking: the solver moves them in ordinary patches (the real 4.4.0 → 4.4.1 removed one and
 * downgraded eleven, none of them named in its env.in). What got worse comes first in the findings, so the approval
 * request shows it first.
 */
public final class RegressionGate implements Gate {
    /** The gate's name in results: {@code regression [cpu]}. */
    public static final String NAME = "regression";

    private final ArtifactStore store;
    private final ImageConfigs configs;
    private final Set<String> allowRegressions;
    private final CveDelta cveDelta;

    /**
     * @param allowRegressions the packages the input lets a patch remove or downgrade
     * @param cveDelta         the new-vulnerability comparison, or {@code null} when no scanner is at hand
     */
    public RegressionGate(ArtifactStore store, ImageConfigs configs, List<String> allowRegressions, CveDelta cveDelta) {
        this.store = store;
        this.configs = configs;
        this.allowRegressions = new LinkedHashSet<>();
        allowRegressions.forEach(name -> this.allowRegressions.add(name.toLowerCase(Locale.ROOT)));
        this.cveDelta = cveDelta;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<GateResult> evaluate(GateContext context) {
        SemVer base = context.base();
        List<GateResult> results = new ArrayList<>();
        if (base == null) {
            context.images()
                    .forEach(image -> results.add(GateResult.passed(
                            NAME, image.imageType(), "no base version recorded: nothing to compare with", List.of())));
            return results;
        }
        boolean patch = base.major() == context.version().major()
                && base.minor() == context.version().minor();
        String kind = patch ? "patch" : base.major() == context.version().major() ? "minor" : "major";
        Map<String, String> baseFiles = baseEnvOutFiles(base, context.images());
        Map<String, byte[]> envOuts = store.readAll(baseFiles.values());
        Map<String, CveDelta.Outcome> cves = cveDelta == null ? Map.of() : cveDelta.compare(context, base);
        for (CandidateImage image : context.images()) {
            String type = image.imageType();
            String basePath = baseFiles.get(type);
            byte[] baseEnvOut = basePath == null ? null : envOuts.get(basePath);
            if (baseEnvOut == null) {
                String why = basePath == null
                        ? base + " has no " + type + " image"
                        : store.locationOf(basePath) + " is missing";
                results.add(
                        patch
                                ? GateResult.failed(
                                        NAME,
                                        type,
                                        "cannot compare the " + type + " image with its base: " + why
                                                + "; a patch release needs its base's env.out",
                                        List.of())
                                : GateResult.passed(NAME, type, "not compared: " + why, List.of()));
                continue;
            }
            PackageRegressions packages = PackageRegressions.compare(
                    ExplicitPackage.parseAll(store.locationOf(basePath), baseEnvOut),
                    ExplicitPackage.parseAll(image.config().envOutFile(), image.envOut()));
            results.add(judge(
                    context.version(), base, kind, type, packages, cves.get(type), direct(context.version(), image)));
        }
        return results;
    }

    /** The packages the distribution asks for in this image: the names of the version's env.in. */
    private Set<String> direct(SemVer version, CandidateImage image) {
        String path = ImageVersions.versionDir(version) + "/" + image.config().envInFile();
        Set<String> names = new TreeSet<>();
        store.read(path)
                .ifPresent(bytes -> EnvFile.parse(path, bytes).packages().values().stream()
                        .filter(spec -> !spec.isExplicitMarker())
                        .forEach(spec -> names.add(spec.name().toLowerCase(Locale.ROOT))));
        return names;
    }

    private GateResult judge(
            SemVer version,
            SemVer base,
            String kind,
            String type,
            PackageRegressions packages,
            CveDelta.Outcome cve,
            Set<String> direct) {
        List<String> worse = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        List<String> indirect = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (PackageRegressions.Removed r : packages.removed()) {
            String line = "removed: " + r.name() + " " + r.version();
            classify(r.name(), line, direct, used, worse, allowed, indirect);
        }
        for (PackageRegressions.Downgraded d : packages.downgraded()) {
            String line = "downgraded: " + d.name() + " " + d.from() + " -> " + d.to();
            classify(d.name(), line, direct, used, worse, allowed, indirect);
        }
        if (cve != null) {
            cve.added().forEach(v -> worse.add("new fixable vulnerability: " + v.describe()));
        }
        List<String> findings = new ArrayList<>(worse);
        allowed.forEach(line -> findings.add("allowed by allowRegressions: " + line));
        indirect.forEach(line -> findings.add("dependency (not in env.in, not blocking): " + line));
        if (cve != null) {
            findings.addAll(cve.notes());
        }
        packages.unordered()
                .forEach(u -> findings.add(
                        "changed (versions conda cannot order): " + u.name() + " " + u.from() + " -> " + u.to()));
        findings.add("compared with " + base + ": " + packages.added() + " added, " + packages.upgraded()
                + " upgraded, " + packages.downgraded().size() + " downgraded, "
                + packages.removed().size()
                + " removed");
        Set<String> unused = new TreeSet<>(allowRegressions);
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            findings.add("allowRegressions names packages that did not regress in " + type + ": " + unused);
        }
        if (worse.isEmpty()) {
            String allowedText = allowed.isEmpty() ? "" : " (" + allowed.size() + " allowed by allowRegressions)";
            return GateResult.passed(
                    NAME,
                    type,
                    "nothing removed, downgraded or newly vulnerable against " + base + allowedText,
                    findings);
        }
        String what = worse.size() + " regression(s) against " + base + ": " + brief(worse);
        if (!kind.equals("patch")) {
            return GateResult.passed(NAME, type, what + " (reported; a " + kind + " release may regress)", findings);
        }
        return GateResult.failed(
                NAME,
                type,
                "the patch release " + version + " has " + what + "; a patch removes and downgrades nothing: pin the"
                        + " base's versions, or name the packages in allowRegressions (new vulnerabilities: upgrade,"
                        + " or allow them in cve-allowlist.json)",
                findings);
    }

    /** A regression of a package env.in names blocks unless allowed; one of a mere dependency is reported. */
    private void classify(
            String name,
            String line,
            Set<String> direct,
            Set<String> used,
            List<String> worse,
            List<String> allowed,
            List<String> indirect) {
        if (allows(name, used)) {
            allowed.add(line);
        } else if (direct.contains(name.toLowerCase(Locale.ROOT))) {
            worse.add(line);
        } else {
            indirect.add(line);
        }
    }

    private boolean allows(String name, Set<String> used) {
        String key = name.toLowerCase(Locale.ROOT);
        if (allowRegressions.contains(key)) {
            used.add(key);
            return true;
        }
        return false;
    }

    /** The first few regressions in one line. */
    private static String brief(List<String> worse) {
        String head = worse.stream().limit(5).collect(Collectors.joining("; "));
        return worse.size() > 5 ? head + "; …" : head;
    }

    /** Per image type, the base's env.out path; a type the base's major does not have is left out. */
    private Map<String, String> baseEnvOutFiles(SemVer base, List<CandidateImage> images) {
        Map<String, String> paths = new LinkedHashMap<>();
        String dir = ImageVersions.versionDir(base);
        for (CandidateImage image : images) {
            for (ImageConfig config : configs.forMajor(base.major())) {
                if (config.imageType().equals(image.imageType())) {
                    paths.put(image.imageType(), dir + "/" + config.envOutFile());
                }
            }
        }
        return paths;
    }
}
