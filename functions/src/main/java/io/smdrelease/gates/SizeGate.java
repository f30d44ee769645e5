package io.smdrelease.gates;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.reports.ImageSizes;
import io.smdrelease.reports.ReleaseImages;
import io.smdrelease.reports.SizeReport;
import io.smdrelease.store.ArtifactStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The size gate ({@code validateSize}): an image type fails when the packages its release adds take more than
 * {@value SizeReport#DEFAULT_LIMIT_PERCENT}% of its conda packages (the original's rule). The candidate's own image
 * size in the staging repository is reported beside it.
 */
public final class SizeGate implements Gate {
    public static final String NAME = "size";

    private final ArtifactStore store;
    private final ImageConfigs configs;
    private final Supplier<RepodataIndex> index;
    private final ImageSizes staging;

    /**
     * @param index   the channel's package sizes, read when the gate runs
     * @param staging image sizes by tag in the staging repository
     */
    public SizeGate(ArtifactStore store, ImageConfigs configs, Supplier<RepodataIndex> index, ImageSizes staging) {
        this.store = store;
        this.configs = configs;
        this.index = index;
        this.staging = staging;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<GateResult> evaluate(GateContext context) {
        SizeReport report = SizeReport.build(
                ReleaseImages.load(store, configs, context.version().toString(), false),
                index.get(),
                candidates(context),
                SizeReport.DEFAULT_LIMIT_PERCENT);
        List<String> violations = report.violations();
        List<GateResult> results = new ArrayList<>();
        for (SizeReport.Image image : report.images()) {
            if (context.images().stream().noneMatch(c -> c.imageType().equals(image.imageType()))) {
                continue;
            }
            List<String> findings = new ArrayList<>();
            image.newPackages().stream()
                    .limit(10)
                    .forEach(p -> findings.add("new: " + p.name() + " " + p.version() + " (" + p.size() + " bytes)"));
            String summary = String.format(
                    java.util.Locale.ROOT,
                    "new packages take %.2f%% of the conda packages (limit %.2f%%); image %d bytes",
                    image.newPercentOfPackages(),
                    report.limitPercent(),
                    image.targetImageSize());
            boolean failed = violations.stream().anyMatch(v -> v.startsWith(image.imageType() + ":"));
            results.add(
                    failed
                            ? GateResult.failed(NAME, image.imageType(), summary, findings)
                            : GateResult.passed(NAME, image.imageType(), summary, findings));
        }
        return results;
    }

    /** The report asks by version tag ({@code 4.4.1-cpu}); in staging the candidate has its candidate tag. */
    private ImageSizes candidates(GateContext context) {
        Map<String, String> stagingTags = new HashMap<>();
        for (CandidateImage image : context.images()) {
            stagingTags.put(
                    image.config().tag(context.version().toString()),
                    image.candidate().tag());
        }
        return new ImageSizes() {
            @Override
            public OptionalLong sizeOf(String tag) {
                String candidateTag = stagingTags.get(tag);
                return candidateTag == null ? OptionalLong.empty() : staging.sizeOf(candidateTag);
            }

            @Override
            public String describe() {
                return staging.describe();
            }
        };
    }
}
