package io.smdrelease.buildplan;

import io.smdrelease.artifacts.ArtifactGenerator;
import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.GeneratedPackage;
import io.smdrelease.artifacts.GeneratedVersion;
import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.EnvFile;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.tags.VersionTags;
import io.smdrelease.version.ImageVersions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Previews a release: {@link ArtifactGenerator#plan} plus the tags the new version would take. Writes nothing. */
public final class ReleasePreviewer {
    private static final String BOUNDS_START = "[version='";

    private final ArtifactStore store;
    private final ImageConfigs imageConfigs;

    public ReleasePreviewer(ArtifactStore store, ImageConfigs imageConfigs) {
        this.store = store;
        this.imageConfigs = imageConfigs;
    }

    public ReleasePreview preview(CreateRequest request) {
        GeneratedVersion generated = new ArtifactGenerator(store, imageConfigs).plan(request);
        String baseDir = ImageVersions.versionDir(generated.base());
        VersionTags versionTags = new VersionTags(store, imageConfigs);
        List<ReleasePreview.Image> images = new ArrayList<>();
        for (ImageConfig config : imageConfigs.forMajor(generated.target().major())) {
            List<GeneratedPackage> lines = generated.packages().get(config.imageType());
            String baseInPath = baseDir + "/" + config.envInFile();
            Optional<byte[]> baseInBytes = store.read(baseInPath);
            EnvFile baseIn =
                    baseInBytes.isPresent() ? EnvFile.parse(baseInPath, baseInBytes.get()) : EnvFile.empty(baseInPath);

            List<ReleasePreview.Package> packages = new ArrayList<>(lines.size());
            Set<String> newNames = new LinkedHashSet<>();
            List<String> added = new ArrayList<>();
            for (GeneratedPackage p : lines) {
                newNames.add(p.name());
                if (!baseIn.contains(p.name())) {
                    added.add(p.name());
                }
                packages.add(new ReleasePreview.Package(
                        p.name(), p.baseSpec(), p.baseResolved(), bounds(p.line()), p.line(), p.fromAdditional()));
            }
            List<String> removed = new ArrayList<>();
            for (String name : baseIn.packages().keySet()) {
                if (!newNames.contains(name)) {
                    removed.add(name);
                }
            }
            List<String> tags = versionTags.tags(generated.target(), config);
            images.add(new ReleasePreview.Image(
                    config.imageType(), packages, added, removed, tags, tags.subList(1, tags.size())));
        }
        return new ReleasePreview(
                request.releaseType().id(),
                generated.base().toString(),
                generated.target().toString(),
                generated.versionDir(),
                images);
    }

    /** {@code >=1.2.3,<1.3.0} from {@code ch::name[version='>=1.2.3,<1.3.0']}, or {@code null}. */
    static String bounds(String line) {
        int start = line.indexOf(BOUNDS_START);
        if (start < 0 || !line.endsWith("']")) {
            return null;
        }
        return line.substring(start + BOUNDS_START.length(), line.length() - 2);
    }
}
