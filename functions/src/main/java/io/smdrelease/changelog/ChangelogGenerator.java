package io.smdrelease.changelog;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.EnvFile;
import io.smdrelease.conda.MatchSpec;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a built version's {@code CHANGELOG-<type>.md} and {@code RELEASE.md}, as the original tool's {@code build}
 * does after the images are built. The base is the first line of the version's {@code source-version.txt}. Every env
 * file is read and parsed once, all in one {@link ArtifactStore#readAll} call.
 */
public final class ChangelogGenerator {
    public static final String RELEASE_NOTES_FILE = "RELEASE.md";

    private final ArtifactStore store;
    private final ImageConfigs imageConfigs;

    public ChangelogGenerator(ArtifactStore store, ImageConfigs imageConfigs) {
        this.store = store;
        this.imageConfigs = imageConfigs;
    }

    /** The changelog file name of an image type. */
    public static String changelogFile(String imageType) {
        return "CHANGELOG-" + imageType + ".md";
    }

    /** Computes the documents without writing them. */
    public ReleaseDocuments plan(SemVer target) {
        List<ImageConfig> configs = imageConfigs.forMajor(target.major());
        String targetDir = VersionDirectories.requireComplete(store, target, VersionDirectories.CREATE_AND_BUILD_IT);
        SemVer base = requireBase(target);
        String baseDir = ImageVersions.versionDir(base);

        List<String> paths = new ArrayList<>(configs.size() * 4);
        for (ImageConfig config : configs) {
            paths.add(baseDir + "/" + config.envInFile());
            paths.add(baseDir + "/" + config.envOutFile());
            paths.add(targetDir + "/" + config.envInFile());
            paths.add(targetDir + "/" + config.envOutFile());
        }
        Map<String, byte[]> contents = store.readAll(paths);

        Map<String, ImageChangesets> changesets = new LinkedHashMap<>();
        Map<String, Map<String, String>> directByType = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        for (ImageConfig config : configs) {
            String targetOutPath = targetDir + "/" + config.envOutFile();
            if (!contents.containsKey(targetOutPath)) {
                throw new MissingArtifactException(targetOutPath + " is missing in " + store.location()
                        + ": the changelog compares built images, so build the " + config.imageType()
                        + " image of " + target + " first");
            }
            EnvFile sourceIn = env(contents, baseDir + "/" + config.envInFile());
            EnvFile sourceOut = env(contents, baseDir + "/" + config.envOutFile());
            EnvFile targetIn = env(contents, targetDir + "/" + config.envInFile());
            EnvFile targetOut = env(contents, targetOutPath);
            ImageChangesets changes = ImageChangesets.derive(sourceIn, sourceOut, targetIn, targetOut);
            changesets.put(config.imageType(), changes);
            files.put(
                    targetDir + "/" + changelogFile(config.imageType()),
                    ChangelogFormat.changelog(target, config.imageType(), base, changes));
            directByType.put(config.imageType(), directInstalled(targetIn, targetOut));
        }
        files.put(targetDir + "/" + RELEASE_NOTES_FILE, ChangelogFormat.releaseNotes(target, directByType));
        return new ReleaseDocuments(target, base, targetDir, changesets, files);
    }

    /** Computes and writes the documents. */
    public ReleaseDocuments generate(SemVer target) {
        ReleaseDocuments documents = plan(target);
        documents.files().forEach((path, text) -> store.write(path, text.getBytes(StandardCharsets.UTF_8)));
        return documents;
    }

    /**
     * The base the changelogs compare with, checked: the version's {@code source-version.txt} names it and its
     * artifacts exist. {@code build} asks before it builds, so that a missing base fails at once, not after the build.
     *
     * @throws MissingArtifactException when {@code source-version.txt} is missing
     * @throws BaseNotFoundException    when the base it names has no artifacts
     */
    public SemVer requireBase(SemVer target) {
        String targetDir = ImageVersions.versionDir(target);
        SemVer base = baseOf(target, targetDir);
        VersionDirectories.requireBase(store, base, targetDir);
        return base;
    }

    /** The base version: {@code get_semver} of the first line of {@code source-version.txt}. */
    SemVer baseOf(SemVer target, String targetDir) {
        String path = targetDir + "/" + ImageVersions.SOURCE_VERSION_FILE;
        byte[] content = store.read(path)
                .orElseThrow(() -> new MissingArtifactException(path + " is missing in "
                        + store.location() + ", so the base version of " + target
                        + " is unknown: write the base version"
                        + " (e.g. 4.4.0) into it, as create-*-version-artifacts does"));
        String text = new String(content, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String firstLine = newline < 0 ? text : text.substring(0, newline);
        if (firstLine.endsWith("\r")) {
            firstLine = firstLine.substring(0, firstLine.length() - 1);
        }
        try {
            return SemVer.parseImageVersion(firstLine);
        } catch (io.smdrelease.error.InvalidInputException e) {
            throw new io.smdrelease.error.InvalidInputException(path + ": " + e.getMessage(), e);
        }
    }

    private static EnvFile env(Map<String, byte[]> contents, String path) {
        byte[] content = contents.get(path);
        return content == null ? EnvFile.empty(path) : EnvFile.parse(path, content);
    }

    /** The env.out entries named in the env.in, in env.out order. */
    private static Map<String, String> directInstalled(EnvFile envIn, EnvFile envOut) {
        Map<String, String> direct = new LinkedHashMap<>();
        for (Map.Entry<String, MatchSpec> e : envOut.packages().entrySet()) {
            if (envIn.contains(e.getKey())) {
                direct.put(e.getKey(), ImageChangesets.versionOf(e.getValue()));
            }
        }
        return direct;
    }
}
