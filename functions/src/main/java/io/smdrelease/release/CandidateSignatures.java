package io.smdrelease.release;

import io.smdrelease.error.GateFailedException;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.sbom.SbomGenerator;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.SignatureArtifact;
import io.smdrelease.signing.SignatureRejectedException;
import io.smdrelease.signing.SignatureTrust;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code signatures.json}: what {@link #sign} attached to each gated candidate, and the check {@link #verify} makes
 * before anything is promoted. Signing happens once the gates passed, so a valid signature says: this very digest
 * passed the gates of this release. Builds may push to the staging repository but cannot sign, and cannot write this
 * file: a signature that does not verify stops the promotion.
 */
public record CandidateSignatures(String version, String execution, Map<String, SignedCandidate> images) {
    /** The SBOM referrer's artifact type and layer media type (CycloneDX JSON). */
    public static final String SBOM_TYPE = "application/vnd.cyclonedx+json";

    public CandidateSignatures {
        images = Map.copyOf(images);
    }

    /**
     * Writes each candidate's SBOM beside its env.out, pushes it and a Notation signature of the candidate digest as
     * referrers into the staging repository, and records both in {@code signatures.json}. A re-run signs again.
     */
    static CandidateSignatures sign(
            ArtifactStore store,
            ReleasePlan plan,
            List<CandidateImage> candidates,
            RegistryClient registry,
            PayloadSigner signer,
            Clock clock) {
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        Map<String, SignedCandidate> signed = new LinkedHashMap<>();
        for (CandidateImage candidate : candidates) {
            String type = candidate.imageType();
            String staging = candidate.candidate().repository();
            Descriptor image = registry.describe(staging, candidate.candidate().digest());
            byte[] sbom = SbomGenerator.write(
                    store,
                    plan.versionDir(),
                    candidate.envOut(),
                    candidate.config(),
                    version,
                    image.digest(),
                    clock.instant());
            String sbomPath = SbomGenerator.path(plan.versionDir(), type);
            String sbomManifest = registry.pushReferrer(
                    staging, new Referrer(SBOM_TYPE, image, List.of(new Referrer.Layer(SBOM_TYPE, sbom)), Map.of()));
            SignatureArtifact signature = NotationSignatures.sign(image, signer, clock.instant());
            String signatureManifest = registry.pushReferrer(staging, signature.referrer());
            signed.put(
                    type,
                    new SignedCandidate(
                            type,
                            image,
                            staging,
                            signatureManifest,
                            signature.certificateThumbprint(),
                            signature.signingTime().toString(),
                            signature.provenance(),
                            sbomManifest,
                            sbomPath));
        }
        CandidateSignatures record = new CandidateSignatures(plan.targetVersion(), plan.execution(), signed);
        store.write(path(plan), Json.write(record));
        return record;
    }

    /**
     * Reads {@code signatures.json} and verifies every candidate's signature as the staging repository serves it:
     * signed by a certificate {@code trust} anchors, not revoked, over exactly the candidate's digest.
     *
     * @throws GateFailedException naming the {@code signature} gate of each image type that failed, and why
     */
    static CandidateSignatures verify(
            ArtifactStore store,
            ReleasePlan plan,
            List<CandidateImage> candidates,
            RegistryClient registry,
            SignatureTrust trust,
            Clock clock) {
        String path = path(plan);
        CandidateSignatures record = store.read(path)
                .map(bytes -> Json.read(bytes, CandidateSignatures.class, path))
                .orElseThrow(() -> new GateFailedException(
                        "the candidates of " + plan.targetVersion() + " are not signed (" + path + " is missing in "
                                + store.location() + "): evaluate the gates again, which signs what passes; nothing is"
                                + " promoted",
                        candidates.stream()
                                .map(c -> "signature [" + c.imageType() + "]")
                                .toList()));
        for (CandidateImage candidate : candidates) {
            String type = candidate.imageType();
            String digest = candidate.candidate().digest();
            SignedCandidate signed = record.images().get(type);
            String problem;
            if (signed == null || !Objects.equals(signed.image().digest(), digest)) {
                problem = "the " + type + " candidate " + digest + " has no signature in " + path
                        + ": evaluate the gates again, which signs what passes";
            } else {
                problem = check(signed, candidate, registry, trust, clock);
            }
            if (problem != null) {
                throw new GateFailedException(
                        "signature [" + type + "] failed for " + plan.targetVersion() + ": " + problem
                                + "; nothing is promoted",
                        List.of("signature [" + type + "]"));
            }
        }
        return record;
    }

    private static String check(
            SignedCandidate signed,
            CandidateImage candidate,
            RegistryClient registry,
            SignatureTrust trust,
            Clock clock) {
        String staging = candidate.candidate().repository();
        try {
            Descriptor image = registry.describe(staging, candidate.candidate().digest());
            Referrer signature = registry.readReferrer(staging, signed.signature());
            NotationSignatures.verify(signature, image, trust, signed.provenance(), clock.instant());
            return null;
        } catch (SignatureRejectedException e) {
            return "the signature " + signed.signature() + " in " + staging + " does not verify: " + e.getMessage();
        } catch (RegistryRejectedException e) {
            return "the signature " + signed.signature() + " cannot be read from " + staging + ": " + e.getMessage();
        }
    }

    /** The referrers to copy with the image into every release repository: its SBOM, then its signature. */
    List<String> referrersOf(String imageType) {
        SignedCandidate signed = images.get(imageType);
        return List.of(signed.sbom(), signed.signature());
    }

    static String path(ReleasePlan plan) {
        return plan.versionDir() + "/" + ReleaseFiles.SIGNATURES_JSON;
    }
}
