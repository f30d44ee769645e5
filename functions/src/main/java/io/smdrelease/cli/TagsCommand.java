package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.tags.VersionTags;
import io.smdrelease.version.SemVer;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tags}: the tags a version's images get, given the versions built so far. */
@Command(
        name = "tags",
        description = "Print, per image type, the tags the version's images get: the version, then M.m, M and latest"
                + " for as long as no newer patch, minor or major version has been built.")
final class TagsCommand extends BaseCommand {
    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version to tag, e.g. 4.4.1.")
    String targetPatchVersion;

    @Override
    protected ExitCode execute() {
        ArtifactStore store = storeOptions.open();
        SemVer target = SemVer.parseImageVersion(targetPatchVersion);
        VersionDirectories.requireComplete(store, target, VersionDirectories.CREATE_IT);
        Map<String, List<String>> tags = new VersionTags(store, ImageConfigs.load(store)).tagsByImageType(target);
        tags.forEach((type, list) -> out().println(type + ": " + String.join(" ", list)));
        return ExitCode.OK;
    }
}
