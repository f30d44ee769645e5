package io.smdrelease.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.ExplicitPackage;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.reports.ImageLock;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * A CycloneDX SBOM of one image from its env.out: one component per package line, identified by its
 * {@code pkg:conda/NAME@VERSION?build=…&channel=…&subdir=…&type=…} purl, with the MD5 (or SHA-256) of the URL's
 * fragment and the package URL as its distribution reference. The image itself is the metadata component (type
 * {@code container}, named by its tag), identified by its manifest digest when one is given. Written beside the
 * env.out as {@link ReleaseFiles#sbom} ({@code <type>.sbom.cdx.json}).
 */
public final class SbomGenerator {
    /** The CycloneDX specification version written: the newest the library supports. */
    public static final Version SPEC_VERSION = Version.VERSION_16;

    private static final Pattern IMAGE_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String TOOL = "smd-release";

    private SbomGenerator() {}

    /** Whether {@code digest} is an image manifest digest, {@code sha256:} and 64 lower-case hex digits. */
    public static boolean isImageDigest(String digest) {
        return digest != null && IMAGE_DIGEST.matcher(digest).matches();
    }

    /**
     * The SBOM of one image as CycloneDX JSON.
     *
     * @param imageDigest the image's manifest digest ({@code sha256:…}), or {@code null} when it is not known
     * @param timestamp   the SBOM's creation time
     * @throws InvalidInputException when a line of the env.out is not a package URL, or the digest is malformed
     */
    public static byte[] toJson(
            byte[] envOut, ImageConfig config, SemVer version, String imageDigest, Instant timestamp) {
        return toJson(bom(envOut, config, version, imageDigest, timestamp));
    }

    private static Bom bom(byte[] envOut, ImageConfig config, SemVer version, String imageDigest, Instant timestamp) {
        if (imageDigest != null && !isImageDigest(imageDigest)) {
            throw new InvalidInputException("image digest '" + imageDigest + "' is not sha256:<64 hex digits>");
        }
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
        bom.setMetadata(metadata(config, version, imageDigest, timestamp));
        List<Component> components = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (ExplicitPackage p : ExplicitPackage.parseAll(config.envOutFile(), envOut)) {
            Component c = component(p);
            if (refs.add(c.getBomRef())) { // a repeated line is one package: bom-refs must be unique
                components.add(c);
            }
        }
        bom.setComponents(components);
        return bom;
    }

    private static byte[] toJson(Bom bom) {
        try {
            return BomGeneratorFactory.createJson(SPEC_VERSION, bom)
                    .toJsonString()
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneratorException e) {
            throw new IllegalStateException("CycloneDX serialization failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the SBOM of a built image beside its env.out.
     *
     * @param imageDigest {@code null} when the image's digest is not known
     * @throws io.smdrelease.error.BaseNotFoundException    when the version has no artifacts
     * @throws io.smdrelease.error.MissingArtifactException when the image type's env.out is missing (not built)
     * @throws InvalidInputException                        for a bad version, image type, digest or env.out line
     */
    public static SbomResult write(
            ArtifactStore store,
            ImageConfigs configs,
            String version,
            String imageType,
            String imageDigest,
            Clock clock) {
        ImageLock lock = ImageLock.load(store, configs, version, imageType);
        Bom bom = bom(lock.envOut(), lock.config(), lock.version(), imageDigest, clock.instant());
        String path = path(lock.versionDir(), lock.config().imageType());
        store.write(path, toJson(bom));
        return new SbomResult(
                path,
                lock.config().imageType(),
                lock.path(),
                bom.getComponents().size(),
                imageDigest,
                SPEC_VERSION.getVersionString());
    }

    /**
     * Writes the SBOM of an env.out already read (the release's candidates carry theirs) beside it, at
     * {@link #path}, and returns its bytes: no second read of the env.out.
     */
    public static byte[] write(
            ArtifactStore store,
            String versionDir,
            byte[] envOut,
            ImageConfig config,
            SemVer version,
            String imageDigest,
            Instant timestamp) {
        byte[] sbom = toJson(envOut, config, version, imageDigest, timestamp);
        store.write(path(versionDir, config.imageType()), sbom);
        return sbom;
    }

    /** Where an image type's SBOM lives: beside its env.out, as {@link ReleaseFiles#sbom}. */
    public static String path(String versionDir, String imageType) {
        return versionDir + "/" + ReleaseFiles.sbom(imageType);
    }

    private static Metadata metadata(ImageConfig config, SemVer version, String imageDigest, Instant timestamp) {
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(timestamp));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName(TOOL);
        String toolVersion = SbomGenerator.class.getPackage().getImplementationVersion();
        if (toolVersion != null) {
            tool.setVersion(toolVersion);
        }
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);

        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setName(config.tag(version.toString()));
        image.setVersion(version.toString());
        if (imageDigest != null) {
            image.setBomRef(imageDigest);
            image.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, imageDigest.substring("sha256:".length()))));
        }
        metadata.setComponent(image);
        return metadata;
    }

    private static Component component(ExplicitPackage p) {
        String purl = purl(p);
        Component c = new Component();
        c.setType(Component.Type.LIBRARY);
        c.setBomRef(purl);
        c.setName(p.name());
        c.setVersion(p.version());
        c.setPurl(purl);
        List<Hash> hashes = new ArrayList<>(1);
        if (p.md5() != null) {
            hashes.add(new Hash(Hash.Algorithm.MD5, p.md5()));
        }
        if (p.sha256() != null) {
            hashes.add(new Hash(Hash.Algorithm.SHA_256, p.sha256()));
        }
        if (!hashes.isEmpty()) {
            c.setHashes(hashes);
        }
        ExternalReference distribution = new ExternalReference();
        distribution.setType(ExternalReference.Type.DISTRIBUTION);
        distribution.setUrl(p.url());
        c.setExternalReferences(List.of(distribution));
        return c;
    }

    /** The purl spec's conda type; a channel that is no name (another host) becomes {@code repository_url}. */
    static String purl(ExplicitPackage p) {
        PackageURLBuilder builder = PackageURLBuilder.aPackageURL()
                .withType("conda")
                .withName(p.name())
                .withVersion(p.version())
                .withQualifier("build", p.build())
                .withQualifier("subdir", p.subdir())
                .withQualifier("type", p.packageType());
        if (p.channel() != null) {
            builder.withQualifier(p.channel().contains("://") ? "repository_url" : "channel", p.channel());
        }
        try {
            return builder.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new InvalidInputException("package " + p.url() + " gives no valid purl: " + e.getMessage(), e);
        }
    }
}
