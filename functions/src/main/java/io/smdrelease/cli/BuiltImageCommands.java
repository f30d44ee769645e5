package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.gates.VariantGate;
import io.smdrelease.gates.VariantReport;
import io.smdrelease.sbom.SbomGenerator;
import io.smdrelease.sbom.SbomResult;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The checks and documents made from a built image's env.out: the variant gate and the SBOM. */
final class BuiltImageCommands {
    private BuiltImageCommands() {}

    /** What both commands share: which built image. */
    abstract static class BuiltImageCommand extends BaseCommand {
        @Mixin
        StoreOptions storeOptions;

        @Option(
                names = "--target-patch-version",
                required = true,
                paramLabel = "VERSION",
                description = "The built version, e.g. 4.4.0.")
        String targetPatchVersion;

        @Option(
                names = "--image-type",
                required = true,
                paramLabel = "TYPE",
                description = "The image type: cpu or gpu.")
        String imageType;
    }

    @Command(
            name = "check-image-variant",
            description = "Check the packages of a built image (its <type>.env.out) are the right variant: in a gpu"
                    + " image every package of the image configuration's cudaFrameworks (pytorch, tensorflow, …)"
                    + " must be a CUDA build, a cpu image may carry no CUDA build at all. Exits 2 naming each"
                    + " offending package and its build.")
    static final class CheckImageVariant extends BuiltImageCommand {
        @Option(names = "--json", description = "Print the report as JSON (also when the check fails).")
        boolean json;

        @Override
        protected ExitCode execute() throws Exception {
            VariantReport report =
                    VariantGate.check(storeOptions.open(), ImageConfigs.builtIn(), targetPatchVersion, imageType);
            if (json) {
                out().println(JsonOutput.pretty(report));
                out().flush();
            }
            report.validate();
            if (!json) {
                out().println(report.summary());
                out().flush();
            }
            return ExitCode.OK;
        }
    }

    @Command(
            name = "generate-sbom",
            description = "Write a CycloneDX 1.6 JSON SBOM of a built image beside its env.out, as <type>.sbom.cdx.json"
                    + " in the version directory: one component per conda package with its pkg:conda purl and the MD5"
                    + " of its env.out line; with --image-digest the image digest identifies the SBOM's subject.")
    static final class GenerateSbom extends BuiltImageCommand {
        @Option(
                names = "--image-digest",
                paramLabel = "sha256:DIGEST",
                description = "The pushed image's manifest digest (sha256: and 64 hex digits), e.g. from the build's"
                        + " push-report-<type>.json.")
        String imageDigest;

        @Override
        protected ExitCode execute() {
            if (imageDigest != null && !SbomGenerator.isImageDigest(imageDigest)) {
                throw new InvalidInputException("--image-digest '" + imageDigest + "' is not a manifest digest: pass"
                        + " sha256: followed by 64 lower-case hex digits");
            }
            SbomResult result = SbomGenerator.write(
                    storeOptions.open(),
                    ImageConfigs.builtIn(),
                    targetPatchVersion,
                    imageType,
                    imageDigest,
                    Clock.systemUTC());
            out().println(result.summary());
            out().flush();
            return ExitCode.OK;
        }
    }
}
