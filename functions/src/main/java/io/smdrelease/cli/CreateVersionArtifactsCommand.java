package io.smdrelease.cli;

import io.smdrelease.artifacts.ArtifactGenerator;
import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.GeneratedVersion;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ReleaseType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code create-{patch,minor,major}-version-artifacts}, as in the original tool. */
abstract class CreateVersionArtifactsCommand extends BaseCommand {
    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--base-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version to start from, e.g. 4.4.0.")
    String basePatchVersion;

    @Option(
            names = "--pre-release-identifier",
            paramLabel = "ID",
            description =
                    "Make a prerelease: the new version is <next>-ID (only from a base that is not a prerelease).")
    String preReleaseIdentifier;

    @Option(
            names = "--force",
            description =
                    "Replace the target version if it exists; its" + " *.additional_packages_env.in files are kept.")
    boolean force;

    abstract ReleaseType releaseType();

    @Override
    protected ExitCode execute() {
        ArtifactStore store = storeOptions.open();
        ArtifactGenerator generator = new ArtifactGenerator(store, ImageConfigs.load(store));
        GeneratedVersion created =
                generator.create(new CreateRequest(releaseType(), basePatchVersion, preReleaseIdentifier, force));
        for (String warning : created.warnings()) {
            err().println("warning: " + warning);
        }
        if (created.templateCreated() != null) {
            out().println("Created template " + created.templateCreated() + " from the previous minor's template.");
        }
        out().println("Created " + created.target() + " (" + releaseType().id() + " release of " + created.base()
                + ") in " + store.locationOf(created.versionDir()) + ":");
        for (String file : created.files()) {
            out().println("  " + file);
        }
        return ExitCode.OK;
    }

    @Command(
            name = "create-patch-version-artifacts",
            description = "Create the build artifacts of the next patch version.")
    static final class Patch extends CreateVersionArtifactsCommand {
        @Override
        ReleaseType releaseType() {
            return ReleaseType.PATCH;
        }
    }

    @Command(
            name = "create-minor-version-artifacts",
            description = "Create the build artifacts of the next minor version (copies the previous minor's"
                    + " template when template/vM/vM.m is missing).")
    static final class Minor extends CreateVersionArtifactsCommand {
        @Override
        ReleaseType releaseType() {
            return ReleaseType.MINOR;
        }
    }

    @Command(
            name = "create-major-version-artifacts",
            description = "Create the build artifacts of the next major version.")
    static final class Major extends CreateVersionArtifactsCommand {
        @Override
        ReleaseType releaseType() {
            return ReleaseType.MAJOR;
        }
    }
}
