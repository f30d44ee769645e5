package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.changelog.ChangelogFormat;
import io.smdrelease.version.SemVer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate-version-release-note}: the text of a GitHub release for one image. */
@Command(
        name = "generate-version-release-note",
        description = "Print the GitHub release note of one image: its public ECR URLs and links to its changelog and"
                + " release notes.")
final class GenerateVersionReleaseNoteCommand extends BaseCommand {
    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The released version, e.g. 4.4.1.")
    String targetPatchVersion;

    @Option(names = "--image-type", required = true, paramLabel = "TYPE", description = "The image type: cpu or gpu.")
    String imageType;

    /** Where the image configurations are (the distribution's image-configs.json, else the built-in one). */
    @Mixin
    StoreOptions storeOptions;

    @Override
    protected ExitCode execute() {
        SemVer target = SemVer.parseImageVersion(targetPatchVersion);
        String type = ImageConfigs.load(storeOptions.open())
                .forType(target.major(), imageType)
                .imageType();
        out().print(ChangelogFormat.versionReleaseNote(target, type));
        out().flush();
        return ExitCode.OK;
    }
}
