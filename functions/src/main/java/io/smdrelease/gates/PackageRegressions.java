package io.smdrelease.gates;

import io.smdrelease.conda.ExplicitPackage;
import io.smdrelease.repodata.CondaVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an image lost against its base, package by package (both env.out lists, by package name): packages removed
 * and packages downgraded, in conda's version order. Versions conda cannot order are listed apart, never as
 * downgrades.
 *
 * @param removed    base packages the candidate no longer has, in base order
 * @param downgraded packages whose version went down, in base order
 * @param unordered  packages whose version changed between versions conda cannot order
 * @param added      how many packages the candidate added
 * @param upgraded   how many packages went up
 */
public record PackageRegressions(
        List<Removed> removed, List<Downgraded> downgraded, List<Downgraded> unordered, int added, int upgraded) {

    /** A base package the candidate does not have. */
    public record Removed(String name, String version) {}

    /** A package whose version moved from {@code from} (base) to {@code to} (candidate). */
    public record Downgraded(String name, String from, String to) {}

    public PackageRegressions {
        removed = List.copyOf(removed);
        downgraded = List.copyOf(downgraded);
        unordered = List.copyOf(unordered);
    }

    /** Compares a candidate's env.out packages with its base's. */
    public static PackageRegressions compare(List<ExplicitPackage> base, List<ExplicitPackage> candidate) {
        Map<String, String> now = versions(candidate);
        Map<String, String> before = versions(base);
        List<Removed> removed = new ArrayList<>();
        List<Downgraded> downgraded = new ArrayList<>();
        List<Downgraded> unordered = new ArrayList<>();
        int upgraded = 0;
        for (Map.Entry<String, String> e : before.entrySet()) {
            String name = e.getKey();
            String from = e.getValue();
            String to = now.get(name);
            if (to == null) {
                removed.add(new Removed(name, from));
                continue;
            }
            if (to.equals(from)) {
                continue;
            }
            CondaVersion a = CondaVersion.tryParse(from);
            CondaVersion b = CondaVersion.tryParse(to);
            if (a == null || b == null) {
                unordered.add(new Downgraded(name, from, to));
            } else if (b.compareTo(a) < 0) {
                downgraded.add(new Downgraded(name, from, to));
            } else if (b.compareTo(a) > 0) {
                upgraded++;
            }
        }
        int added =
                (int) now.keySet().stream().filter(k -> !before.containsKey(k)).count();
        return new PackageRegressions(removed, downgraded, unordered, added, upgraded);
    }

    /** Name (lower-cased, as conda compares them) to version; the first line of a name wins. */
    private static Map<String, String> versions(List<ExplicitPackage> packages) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (ExplicitPackage p : packages) {
            versions.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p.version());
        }
        return versions;
    }
}
