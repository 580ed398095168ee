package dev.dera.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = DeraCli.class.getPackage().getImplementationVersion();
        return new String[] {"dera-spark " + (version == null ? "development" : version)};
    }
}
