package io.smdrelease.cli;

import picocli.CommandLine.IVersionProvider;

/** The jar's implementation version, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"smd-release " + (version == null ? "development" : version)};
    }
}
