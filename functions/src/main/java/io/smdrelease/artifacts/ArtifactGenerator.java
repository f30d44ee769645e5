package io.smdrelease.artifacts;

import io.smdrelease.conda.EnvFile;
import io.smdrelease.conda.MatchSpec;
import io.smdrelease.conda.UpperBounds;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactFile;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.PublicationOwner;
import io.smdrelease.store.StorePaths;
import io.smdrelease.store.VersionPublication;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.ReleaseType;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates the build artifacts of the next version from a base version: the original tool's
 * {@code create-{patch,minor,major}-version-artifacts} (docs/original-tool.md §1–2), byte for byte.
 *
 * <p>Everything is read and checked first, and only then published as one unit, so that bad input never leaves a
 * partial version behind.
 */
public final class ArtifactGenerator {
    static final String HEADER = "# This file is auto-generated.\n";
    private static final List<String> STATIC_BASE_FILES =
            List.of("gpu.arg_based_env.in", "cpu.pinned_env.in", "gpu.pinned_env.in");
    private static final List<String> ASSETS = List.of(
            "assets/aws-cli-public-key.asc",
            "assets/extract_amazon_q_agentic_chat_urls.py",
            "assets/download_amazon_q_agentic_chat_artifacts.sh");

    private final ArtifactStore store;
    private final ImageConfigs imageConfigs;

    public ArtifactGenerator(ArtifactStore store, ImageConfigs imageConfigs) {
        this.store = store;
        this.imageConfigs = imageConfigs;
    }

    /** Computes and publishes the next version's artifacts. */
    public GeneratedVersion create(CreateRequest request) {
        GeneratedVersion generated = plan(request);
        store.publish(generated.publication());
        return generated;
    }

    /** Computes the next version's artifacts without writing anything. */
    public GeneratedVersion plan(CreateRequest request) {
        SemVer base = SemVer.parseImageVersion(request.basePatchVersion());
        SemVer target = ImageVersions.next(base, request.releaseType(), request.preReleaseIdentifier());
        String baseDir = VersionDirectories.requireComplete(
                store, "base version", base, "pass an existing version to --base-patch-version");
        List<ImageConfig> configs = imageConfigs.forMajor(target.major());

        String templateDir = ImageVersions.templateDir(target.major(), target.minor());
        TemplateCopy templateCopy =
                request.releaseType() == ReleaseType.PATCH ? TemplateCopy.NONE : templateToCreate(target, templateDir);

        String targetDir = ImageVersions.versionDir(target);
        if (store.exists(targetDir)) {
            throw new VersionExistsException(targetDir + " in " + store.location()
                    + " exists but is not a directory: move it away and run again");
        }
        Set<String> keepNames = new LinkedHashSet<>();
        for (ImageConfig config : configs) {
            keepNames.add(config.additionalPackagesEnvInFile());
        }
        boolean targetExists = holdsMoreThan(targetDir, keepNames);
        if (targetExists && !request.replaceExisting()) {
            throw new VersionExistsException(targetDir + " already exists in " + store.location()
                    + ": pass --force to replace it (its *.additional_packages_env.in files are kept)");
        }

        // every env file of every image type in one (parallel) read
        List<String> envPaths = new ArrayList<>();
        for (ImageConfig config : configs) {
            envPaths.add(baseDir + "/" + config.envInFile());
            envPaths.add(targetDir + "/" + config.additionalPackagesEnvInFile());
            envPaths.add(baseDir + "/" + config.envOutFile());
        }
        Map<String, byte[]> envFiles = store.readAll(envPaths);
        Map<String, ArtifactFile> files = new LinkedHashMap<>();
        Map<String, List<GeneratedPackage>> packages = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (ImageConfig config : configs) {
            List<GeneratedPackage> lines =
                    envInLines(envFiles, baseDir, targetDir, config, request.releaseType(), warnings);
            packages.put(config.imageType(), lines);
            files.put(targetDir + "/" + config.envInFile(), ArtifactFile.regular(envInBytes(lines)));
        }
        Set<String> emptyDirs = new TreeSet<>(templateCopy.emptyDirs());
        copyStaticFiles(baseDir, targetDir, templateDir, templateCopy, target, files, emptyDirs);
        files.put(
                targetDir + "/" + ImageVersions.SOURCE_VERSION_FILE,
                ArtifactFile.regular(request.basePatchVersion().getBytes(StandardCharsets.UTF_8)));

        // only --force may replace a version; a directory holding just the release's additional-packages files is
        // no version, and the stores publish over it without replacing anything
        VersionPublication publication = new VersionPublication(
                targetDir,
                files,
                templateCopy.files(),
                emptyDirs,
                request.replaceExisting(),
                keepNames,
                request.basePatchVersion(),
                PublicationOwner.thisProcess());
        return new GeneratedVersion(
                base, target, targetDir, publication, packages, templateCopy.isEmpty() ? null : templateDir, warnings);
    }

    /** The copy of the previous minor's template for a new minor: its files (with modes) and empty directories. */
    private record TemplateCopy(Map<String, ArtifactFile> files, Set<String> emptyDirs) {
        static final TemplateCopy NONE = new TemplateCopy(Map.of(), Set.of());

        boolean isEmpty() {
            return files.isEmpty() && emptyDirs.isEmpty();
        }
    }

    /** A target directory that holds only additional-packages files is the release's input, not a version. */
    private boolean holdsMoreThan(String dir, Set<String> names) {
        if (!store.isDirectory(dir)) {
            return false;
        }
        for (String child : store.children(dir)) {
            if (!names.contains(child)) {
                return true;
            }
        }
        return false;
    }

    /** For a minor or major release without a per-minor template, the copy of the previous minor's template. */
    private TemplateCopy templateToCreate(SemVer target, String templateDir) {
        if (store.isDirectory(templateDir)) {
            return TemplateCopy.NONE;
        }
        int major = target.major();
        if (target.minor() == 0) {
            throw new MissingArtifactException(
                    "Cannot auto-create template for v" + major + ".0 — no previous minor exists." + " Please create "
                            + templateDir + "/ manually with a Dockerfile and dirs/.");
        }
        String previous = ImageVersions.templateDir(major, target.minor() - 1);
        if (!store.isDirectory(previous)) {
            throw new MissingArtifactException(
                    "Previous minor template " + previous + " does not exist, so " + templateDir
                            + " cannot be copied from it: create " + templateDir + "/ with a Dockerfile and dirs/.");
        }
        Map<String, ArtifactFile> copy = new LinkedHashMap<>();
        List<String> sources = store.listFiles(previous);
        Map<String, ArtifactFile> contents = store.readFiles(sources);
        for (String source : sources) {
            copy.put(templateDir + "/" + StorePaths.relativize(previous, source), contents.get(source));
        }
        Set<String> emptyDirs = new TreeSet<>();
        for (String dir : store.emptyDirectories(previous)) {
            emptyDirs.add(
                    dir.equals(previous) ? templateDir : templateDir + "/" + StorePaths.relativize(previous, dir));
        }
        return new TemplateCopy(copy, emptyDirs);
    }

    private List<GeneratedPackage> envInLines(
            Map<String, byte[]> envFiles,
            String baseDir,
            String targetDir,
            ImageConfig config,
            ReleaseType release,
            List<String> warnings) {
        EnvFile baseIn = env(envFiles, baseDir + "/" + config.envInFile());
        if (baseIn.isExplicit()) {
            throw new InvalidInputException(
                    baseIn.source() + " is an explicit package list (@EXPLICIT), not match specs,"
                            + " so no version bounds can be derived from it: choose another base version");
        }
        EnvFile additional = env(envFiles, targetDir + "/" + config.additionalPackagesEnvInFile());
        EnvFile baseOut = env(envFiles, baseDir + "/" + config.envOutFile());
        String noBounds = unboundedBecause(baseOut, envFiles.containsKey(baseOut.source()));

        Map<String, MatchSpec> merged = new LinkedHashMap<>(additional.packages());
        baseIn.packages().forEach(merged::putIfAbsent);
        if (noBounds != null) {
            for (String name : merged.keySet()) {
                warnings.add(name + " gets no version bound in " + config.envInFile() + ": " + noBounds);
            }
        }

        List<GeneratedPackage> lines = new ArrayList<>(merged.size());
        for (Map.Entry<String, MatchSpec> entry : merged.entrySet()) {
            String name = entry.getKey();
            String asWritten = entry.getValue().version();
            boolean fromAdditional = additional.contains(name);
            MatchSpec resolved = baseOut.get(name);
            if (resolved == null) {
                lines.add(new GeneratedPackage(name, "conda-forge::" + name, asWritten, null, fromAdditional));
                continue;
            }
            String version = resolved.exactVersion();
            if (version == null || resolved.channel() == null) {
                throw new InvalidInputException(
                        baseOut.source() + ": the entry for " + name
                                + " is not an explicit package URL with a channel and version, so it cannot bound the new version");
            }
            String upper = UpperBounds.upperBound(name, version, release);
            String line = resolved.channel() + "::" + name + "[version='>=" + version + upper + "']";
            lines.add(new GeneratedPackage(name, line, asWritten, version, fromAdditional));
        }
        return lines;
    }

    /**
     * Why the base's env.out bounds nothing, or {@code null} when it lists packages. The original tool then writes
     * every package unbounded; so does a checkout (with a warning per package), but a store that tracks releases
     * refuses: a released base always has its env.out.
     *
     * @throws MissingArtifactException in a store that tracks releases
     */
    private String unboundedBecause(EnvFile baseOut, boolean exists) {
        boolean listsPackages =
                baseOut.packages().keySet().stream().anyMatch(name -> !name.equals(MatchSpec.EXPLICIT_MARKER));
        if (listsPackages) {
            return null;
        }
        String why = baseOut.source() + (exists ? " lists no package" : " is missing");
        if (store.tracksReleases()) {
            throw new MissingArtifactException(why + " in " + store.location() + ": a released base has the env.out"
                    + " of its build, which bounds the new version's packages; build the base version first, or"
                    + " choose a released base");
        }
        return why + ", so the base's installed version is unknown";
    }

    /** A file that is missing reads as empty, as in the original tool. */
    private static EnvFile env(Map<String, byte[]> files, String path) {
        byte[] content = files.get(path);
        return content != null ? EnvFile.parse(path, content) : EnvFile.empty(path);
    }

    static byte[] envInBytes(List<GeneratedPackage> lines) {
        StringBuilder out = new StringBuilder(HEADER);
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(lines.get(i).line());
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The files copied as they are, with their modes (the original's {@code shutil.copy2}/{@code copytree}): static
     * files of the base, the assets, the template's Dockerfile and {@code dirs/} with its empty directories.
     */
    private void copyStaticFiles(
            String baseDir,
            String targetDir,
            String templateDir,
            TemplateCopy templateCopy,
            SemVer target,
            Map<String, ArtifactFile> files,
            Set<String> emptyDirs) {
        List<String> wanted = new ArrayList<>();
        for (String name : store.children(baseDir)) {
            // a directory of such a name reads as absent below
            if (STATIC_BASE_FILES.contains(name) || name.startsWith("patch_")) {
                wanted.add(baseDir + "/" + name);
            }
        }
        wanted.addAll(ASSETS);
        String dockerfile = templateDir + "/Dockerfile";
        String dirs = templateDir + "/dirs";
        List<String> dirFiles = new ArrayList<>();
        List<String> dirEmptyDirs = new ArrayList<>();
        if (target.major() >= 1) {
            if (templateCopy.isEmpty()) {
                dirFiles.addAll(store.listFiles(dirs));
                dirEmptyDirs.addAll(store.emptyDirectories(dirs));
            } else {
                templateCopy.files().keySet().stream()
                        .filter(p -> p.startsWith(dirs + "/"))
                        .forEach(dirFiles::add);
                templateCopy.emptyDirs().stream()
                        .filter(p -> p.equals(dirs) || p.startsWith(dirs + "/"))
                        .forEach(dirEmptyDirs::add);
            }
        }
        if (templateCopy.isEmpty()) {
            wanted.add(dockerfile);
            wanted.addAll(dirFiles);
        }
        Map<String, ArtifactFile> contents = new LinkedHashMap<>(store.readFiles(wanted));
        contents.putAll(templateCopy.files());
        for (String path : wanted) {
            ArtifactFile content = contents.get(path);
            if (content != null && !path.startsWith(templateDir + "/")) {
                files.put(targetDir + "/" + StorePaths.name(path), content);
            }
        }
        if (contents.containsKey(dockerfile)) {
            files.put(targetDir + "/Dockerfile", contents.get(dockerfile));
        }
        for (String path : dirFiles) {
            files.put(targetDir + "/dirs/" + StorePaths.relativize(dirs, path), contents.get(path));
        }
        for (String dir : dirEmptyDirs) {
            emptyDirs.add(
                    dir.equals(dirs) ? targetDir + "/dirs" : targetDir + "/dirs/" + StorePaths.relativize(dirs, dir));
        }
    }
}
