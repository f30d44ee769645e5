package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.reports.DependencyReport;
import io.smdrelease.reports.ReleaseImages;
import io.smdrelease.reports.SizeReport;
import io.smdrelease.reports.StalenessReport;
import io.smdrelease.store.ArtifactStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The reports of a built version (docs/original-tool.md §5), against a conda channel's repodata. */
final class ReportCommands {
    private ReportCommands() {}

    /** What the three report commands share. */
    abstract static class ReportCommand extends BaseCommand {
        @Mixin
        StoreOptions storeOptions;

        @Mixin
        RepodataOptions repodataOptions;

        @Option(
                names = "--target-patch-version",
                required = true,
                paramLabel = "VERSION",
                description = "The built version to report on, e.g. 4.4.1.")
        String targetPatchVersion;

        @Option(names = "--json", description = "Print JSON instead of Markdown.")
        boolean json;

        /** The version and its base, read with the distribution's image configurations. */
        ReleaseImages release(boolean requireBase) {
            ArtifactStore store = storeOptions.open();
            return ReleaseImages.load(store, ImageConfigs.load(store), targetPatchVersion, requireBase);
        }

        void print(Object report, String markdown) throws Exception {
            if (json) {
                out().println(JsonOutput.pretty(report));
            } else {
                out().print(markdown);
            }
            out().flush();
        }
    }

    @Command(
            name = "generate-staleness-report",
            description = "Print, per image type, the packages of the version's env.in (except python) with the"
                    + " installed version and the latest relevant one in the channel: the newest overall for a major"
                    + " release (x.0.0), with the same major for a minor release (x.y.0), with the same major.minor"
                    + " for a patch release. Stale packages are red.")
    static final class Staleness extends ReportCommand {
        @Override
        protected ExitCode execute() throws Exception {
            ReleaseImages release = release(false);
            StalenessReport report = StalenessReport.build(release, repodataOptions.read());
            print(report, report.toMarkdown());
            return ExitCode.OK;
        }
    }

    @Command(
            name = "generate-dependency-report",
            description = "Print, per image type, the dependencies (repodata 'depends') of the packages the"
                    + " version adds directly since its base. Minor and major releases only: for a patch release it"
                    + " says so and prints nothing else.")
    static final class Dependency extends ReportCommand {
        @Override
        protected ExitCode execute() throws Exception {
            ReleaseImages release = release(true);
            if (!DependencyReport.appliesTo(release)) {
                out().println("No dependency report: " + release.target() + " is a patch release; the report covers"
                        + " minor and major releases only.");
                return ExitCode.OK;
            }
            DependencyReport report = DependencyReport.build(release, repodataOptions.read());
            print(report, report.toMarkdown());
            return ExitCode.OK;
        }
    }

    @Command(
            name = "generate-size-report",
            description = "Print, per image type, the image sizes in the staging ECR repository (tag V-<type>"
                    + " against the base's), the total and largest package sizes, and the size change of each new"
                    + " or changed package. With --validate, fail (exit 2) when the new packages take more than"
                    + " 5%% of the image.")
    static final class Size extends ReportCommand {
        @Option(
                names = "--staging-repo-name",
                required = true,
                paramLabel = "REPOSITORY",
                description = "The ECR repository the built images were pushed to.")
        String stagingRepoName;

        @Option(
                names = "--staging-account",
                required = true,
                paramLabel = "ACCOUNT",
                description = "The AWS account id of that repository.")
        String stagingAccount;

        @Option(
                names = "--region",
                paramLabel = "REGION",
                description = "The repository's region. Default: from the AWS environment (AWS_REGION, profile).")
        String region;

        @Option(
                names = "--validate",
                description = "Fail with exit code 2 when the new packages exceed 5%% of an image.")
        boolean validate;

        @Override
        protected ExitCode execute() throws Exception {
            if (!stagingAccount.matches("\\d{12}")) {
                throw new InvalidInputException(
                        "--staging-account '" + stagingAccount + "' is not a 12-digit AWS account id");
            }
            ReleaseImages release = release(false);
            RepodataIndex index = repodataOptions.read();
            EcrClient ecr;
            try {
                ecr = EcrImageSizes.client(region);
            } catch (SdkClientException e) {
                throw new InvalidInputException(
                        "cannot set up the ECR client: " + e.getMessage()
                                + " (pass --region, or set AWS_REGION and credentials in the environment)",
                        e);
            }
            SizeReport report;
            try (ecr) {
                report = SizeReport.build(
                        release,
                        index,
                        new EcrImageSizes(ecr, stagingRepoName, stagingAccount),
                        SizeReport.DEFAULT_LIMIT_PERCENT);
            } catch (SdkException e) {
                throw new AwsCallFailedException(
                        "ECR DescribeImages on " + stagingRepoName + " of account " + stagingAccount + " failed: "
                                + e.getMessage(),
                        e);
            }
            print(report, report.toMarkdown());
            if (validate) {
                report.validate();
                err().println("Size gate passed: new packages are within " + report.limitPercent() + "% of each"
                        + " image.");
            }
            return ExitCode.OK;
        }
    }

    /** An AWS call that failed for a reason other than the user's input: exit code 1 with the cause. */
    static final class AwsCallFailedException extends RuntimeException {
        AwsCallFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
