package io.smdrelease.release;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.layout.ReleasedVersions;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves aliases after a release, through the same registry copy as promotion (no layer is uploaded: the image is in
 * the repository already): a rollback points an alias at an earlier release, a yank marks a release bad and points
 * the aliases that held it at the newest good release. Both are recorded in the store.
 */
public final class AliasMoves {
    /** {@code latest}, {@code 4}, {@code 4.4}, each with an optional {@code -prerelease}. */
    private static final Pattern LABEL = Pattern.compile("(latest|(\\d{1,9})(?:\\.(\\d{1,9}))?)(-[0-9A-Za-z.-]+)?");

    private final ArtifactStore store;
    private final ImageConfigs configs;
    private final Clock clock;

    AliasMoves(ArtifactStore store, ImageConfigs configs, Clock clock) {
        this.store = store;
        this.configs = configs;
        this.clock = clock;
    }

    /** One alias re-pointed in one repository. */
    public record Move(String repository, String alias, String fromDigest, String toDigest, String toVersion) {}

    /** What a rollback or yank did, written to {@code alias-moves/<time>-<what>.json}. */
    public record Record(String action, String version, String reason, String by, String at, List<Move> moves) {}

    /** Points {@code alias} (e.g. {@code latest-cpu}) at {@code to}'s image in every repository that release used. */
    Record rollback(String alias, SemVer to, RegistryClient registry, String by) {
        ReleaseRecord release = released(to);
        ReleaseRecord.Image image = imageOfAlias(release, alias);
        List<Move> moves = new ArrayList<>();
        for (String repository : image.repositories().keySet()) {
            moves.add(move(registry, repository, alias, image.stagedDigest(), to.toString()));
        }
        return record(new Record("rollback", to.toString(), "alias " + alias, by, now(), moves));
    }

    /**
     * Marks {@code version} bad ({@code yanked.json}: never again a base or an alias target) and points each alias it
     * holds at the newest release that is not yanked; an alias with no such release is left and reported.
     */
    Record yank(SemVer version, String reason, RegistryClient registry, String by) {
        ReleaseRecord release = released(version);
        String dir = ImageVersions.versionDir(version);
        store.write(dir + "/" + ReleaseFiles.YANKED_JSON, Json.write(Map.of("reason", reason, "by", by, "at", now())));
        List<Move> moves = new ArrayList<>();
        for (Map.Entry<String, ReleaseRecord.Image> entry : release.images().entrySet()) {
            ImageConfig config = configs.forType(version.major(), entry.getKey());
            for (Map.Entry<String, List<String>> repo :
                    entry.getValue().repositories().entrySet()) {
                for (String alias : repo.getValue().subList(1, repo.getValue().size())) {
                    Optional<SemVer> replacement = newestFor(alias, config, version);
                    if (replacement.isEmpty()) {
                        moves.add(
                                new Move(repo.getKey(), alias, entry.getValue().stagedDigest(), null, null));
                        continue;
                    }
                    String digest = released(replacement.get())
                            .images()
                            .get(entry.getKey())
                            .stagedDigest();
                    moves.add(move(
                            registry,
                            repo.getKey(),
                            alias,
                            digest,
                            replacement.get().toString()));
                }
            }
        }
        return record(new Record("yank", version.toString(), reason, by, now(), moves));
    }

    private Move move(RegistryClient registry, String repository, String alias, String digest, String version) {
        String from = registry.digestOf(repository, alias).orElse(null);
        registry.copy(repository, digest, repository, alias);
        return new Move(repository, alias, from, digest, version);
    }

    /** The newest release, other than {@code yanked}, whose tags include {@code alias}'s label. */
    private Optional<SemVer> newestFor(String alias, ImageConfig config, SemVer yanked) {
        String label = labelOf(alias, config);
        Matcher m = LABEL.matcher(label);
        if (!m.matches()) {
            return Optional.empty();
        }
        Integer major = m.group(2) == null ? null : Integer.parseInt(m.group(2));
        Integer minor = m.group(3) == null ? null : Integer.parseInt(m.group(3));
        return new VersionCatalog(store)
                .newest(x -> major == null || x == major, y -> minor == null || y == minor)
                .filter(v -> !v.equals(yanked));
    }

    private static String labelOf(String alias, ImageConfig config) {
        String pattern = config.imageTagPattern();
        int at = pattern.indexOf("{image_version}");
        String prefix = pattern.substring(0, at);
        String suffix = pattern.substring(at + "{image_version}".length());
        if (!alias.startsWith(prefix) || !alias.endsWith(suffix)) {
            throw new InvalidInputException(
                    "--alias " + alias + " is not a " + config.imageType() + " tag (pattern " + pattern + ")");
        }
        return alias.substring(prefix.length(), alias.length() - suffix.length());
    }

    private ReleaseRecord.Image imageOfAlias(ReleaseRecord release, String alias) {
        SemVer version = SemVer.parseImageVersion(release.version());
        for (Map.Entry<String, ReleaseRecord.Image> entry : release.images().entrySet()) {
            String pattern = configs.forType(version.major(), entry.getKey()).imageTagPattern();
            String suffix = pattern.substring(pattern.indexOf("{image_version}") + "{image_version}".length());
            if (alias.endsWith(suffix)
                    && LABEL.matcher(alias.substring(0, alias.length() - suffix.length()))
                            .matches()) {
                return entry.getValue();
            }
        }
        throw new InvalidInputException("--alias " + alias + " names no image type of " + version + " (its types: "
                + release.images().keySet() + "); use e.g. latest-cpu or 4.4-gpu");
    }

    private ReleaseRecord released(SemVer version) {
        String path = ImageVersions.versionDir(version) + "/" + ReleaseFiles.RELEASE_JSON;
        byte[] bytes = store.read(path)
                .orElseThrow(() -> new BaseNotFoundException(version + " is not released (no " + path + " in "
                        + store.location() + "): only released versions are alias targets"));
        if (new ReleasedVersions(store).isYanked(version)) {
            throw new InvalidInputException(version + " was yanked: it is never again an alias target");
        }
        ReleaseRecord record = Json.read(bytes, ReleaseRecord.class, path);
        if (record.images() == null || record.images().isEmpty()) {
            throw new MissingArtifactException(path + " records no image");
        }
        return record;
    }

    private Record record(Record record) {
        String name = record.at().replace(':', '-') + "-" + record.action() + "-" + record.version() + ".json";
        store.write("alias-moves/" + name, Json.write(record));
        return record;
    }

    private String now() {
        return clock.instant().toString();
    }
}
