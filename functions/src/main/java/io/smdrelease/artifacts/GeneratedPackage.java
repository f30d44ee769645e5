package io.smdrelease.artifacts;

/**
 * One line of a generated env.in and where it came from.
 *
 * @param name          the package key
 * @param line          the written match spec
 * @param baseSpec      the package's constraint in the base env.in or the additional file as written, or {@code null}
 * @param baseResolved  the version the base image resolved (its env.out), or {@code null} when it had none
 * @param fromAdditional whether the package came from the target's additional packages file
 */
public record GeneratedPackage(
        String name, String line, String baseSpec, String baseResolved, boolean fromAdditional) {}
