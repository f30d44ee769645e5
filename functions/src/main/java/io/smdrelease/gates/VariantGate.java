package io.smdrelease.gates;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.ExplicitPackage;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.reports.ImageLock;
import io.smdrelease.store.ArtifactStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The variant gate: a gpu image must carry CUDA builds of its accelerated frameworks, a cpu image no CUDA build at all
 * (a SageMaker Distribution GPU release once shipped a CPU build of TensorFlow). Decided from the env.out's build
 * strings; the frameworks a gpu image must carry as CUDA builds are its configuration's {@code cudaFrameworks}, so
 * packages that are CPU-only by design (libarrow's {@code _cpu} builds) pass.
 *
 * <p>As a {@link Gate} of the release it judges the env.out of each candidate; {@link #check(byte[], ImageConfig)}
 * is the same check as a pure function, and {@link #check(ArtifactStore, ImageConfigs, String, String)} runs it on a
 * built version in a store (the CLI's {@code check-image-variant}).
 */
public final class VariantGate implements Gate {
    /** The gate's name in results: {@code variant [gpu]}. */
    public static final String NAME = "variant";

    /**
     * conda-forge marks CUDA builds with {@code cuda<version>} as a build-string token ({@code cuda129_mkl_…},
     * {@code cuda112py310…}, {@code …_200_cuda129}; the pytorch channel {@code py3.10_cuda11.8_…}), and variant mutexes
     * with {@code gpu} ({@code _py-xgboost-mutex-2.0-gpu_0}).
     */
    private static final Pattern CUDA_BUILD = Pattern.compile("(?:^|_)(?:cuda\\d|gpu(?:_|$))");

    private static final String GPU = "gpu";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * One result per candidate image: passed, or failed with one finding per offending package and the fix.
     *
     * @throws MissingArtifactException when a candidate has no env.out: the gate cannot run
     */
    @Override
    public List<GateResult> evaluate(GateContext context) {
        List<GateResult> results = new ArrayList<>();
        for (CandidateImage image : context.images()) {
            if (image.envOut() == null) {
                throw new MissingArtifactException("the variant gate cannot judge the " + image.imageType()
                        + " image of " + context.version() + ": its build exported no "
                        + image.config().envOutFile());
            }
            VariantReport report = check(image.envOut(), image.config());
            if (report.passed()) {
                results.add(GateResult.passed(NAME, report.imageType(), report.verdict(), List.of()));
            } else {
                List<String> findings = new ArrayList<>();
                report.findings().forEach(f -> findings.add(f.describe()));
                findings.add("fix: " + report.fix());
                results.add(GateResult.failed(NAME, report.imageType(), report.verdict(), findings));
            }
        }
        return results;
    }

    /** Whether a build string marks a CUDA (GPU) build. */
    public static boolean isCudaBuild(String build) {
        return CUDA_BUILD.matcher(build).find();
    }

    /**
     * Checks one image's env.out against its configuration: for a gpu image every package named in
     * {@code cudaFrameworks} must be a CUDA build; for any other image type no package may be one.
     *
     * @throws io.smdrelease.error.InvalidInputException when a line of the env.out is not a package URL
     */
    public static VariantReport check(byte[] envOut, ImageConfig config) {
        List<ExplicitPackage> packages = ExplicitPackage.parseAll(config.envOutFile(), envOut);
        boolean gpu = GPU.equals(config.imageType());
        List<String> frameworks = gpu ? config.cudaFrameworks() : List.of();
        Set<String> required = new HashSet<>();
        frameworks.forEach(f -> required.add(f.toLowerCase(Locale.ROOT)));
        Set<String> present = new HashSet<>();
        List<VariantReport.Finding> findings = new ArrayList<>();
        for (ExplicitPackage p : packages) {
            boolean cuda = isCudaBuild(p.build());
            if (gpu) {
                String key = p.name().toLowerCase(Locale.ROOT);
                if (required.contains(key)) {
                    present.add(key);
                    if (!cuda) {
                        findings.add(finding(p, "not a CUDA build, and the gpu image's cudaFrameworks lists it"));
                    }
                }
            } else if (cuda) {
                findings.add(finding(p, "a CUDA build, and a " + config.imageType() + " image carries none"));
            }
        }
        Set<String> absent = new LinkedHashSet<>();
        for (String f : frameworks) {
            if (!present.contains(f.toLowerCase(Locale.ROOT))) {
                absent.add(f);
            }
        }
        return new VariantReport(
                config.imageType(),
                config.envOutFile(),
                packages.size(),
                frameworks,
                List.copyOf(absent),
                findings,
                findings.isEmpty() ? null : fix(config, gpu, findings.getFirst()));
    }

    /**
     * The pipeline's gate step: reads the built image's env.out from the store and checks it.
     *
     * @return the report, which the caller validates ({@link VariantReport#validate()}) or renders
     * @throws io.smdrelease.error.BaseNotFoundException     when the version has no artifacts
     * @throws io.smdrelease.error.MissingArtifactException  when the image type's env.out is missing (not built)
     * @throws io.smdrelease.error.InvalidInputException     when the version or image type is not valid
     */
    public static VariantReport check(ArtifactStore store, ImageConfigs configs, String version, String imageType) {
        ImageLock lock = ImageLock.load(store, configs, version, imageType);
        return check(lock.envOut(), lock.config());
    }

    private static VariantReport.Finding finding(ExplicitPackage p, String reason) {
        return new VariantReport.Finding(p.name(), p.version(), p.build(), reason);
    }

    private static String fix(ImageConfig config, boolean gpu, VariantReport.Finding example) {
        String pins = config.buildArgs().getOrDefault("PINNED_ENV_IN_FILENAME", config.envInFile());
        return gpu
                ? "pin the CUDA builds in " + pins + " (e.g. conda-forge::" + example.name() + "[build='*cuda*']) and"
                        + " rebuild the " + config.imageType() + " image"
                : "pin the CPU builds in " + pins + " (e.g. conda-forge::" + example.name() + "[build='*cpu*']) or"
                        + " remove what pulls the CUDA build in, and rebuild the " + config.imageType() + " image";
    }
}
