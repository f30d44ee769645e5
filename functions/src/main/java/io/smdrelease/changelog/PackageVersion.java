package io.smdrelease.changelog;

/** A package and the version an image installed (its env.out version without {@code ==}). */
public record PackageVersion(String name, String version) {}
