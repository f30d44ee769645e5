package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.changelog.ReleaseDocuments;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate-changelog}: the CHANGELOG-&lt;type&gt;.md and RELEASE.md that {@code build} writes after a build. */
@Command(
        name = "generate-changelog",
        description = "Write CHANGELOG-<type>.md for every image type and RELEASE.md into a built version's directory;"
                + " the base version is the first line of its source-version.txt.")
final class GenerateChangelogCommand extends BaseCommand {
    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The built version, e.g. 4.4.1.")
    String targetPatchVersion;

    @Override
    protected ExitCode execute() {
        ArtifactStore store = storeOptions.open();
        SemVer target = SemVer.parseImageVersion(targetPatchVersion);
        ReleaseDocuments documents = new ChangelogGenerator(store, ImageConfigs.load(store)).generate(target);
        out().println("Wrote the changes of " + documents.target() + " since " + documents.base() + " to "
                + store.location() + ":");
        for (String path : documents.files().keySet()) {
            out().println("  " + path);
        }
        return ExitCode.OK;
    }
}
