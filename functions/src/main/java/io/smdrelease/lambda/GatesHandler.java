package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.aws.inspector.InspectorImageFindings;
import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.gates.CandidateScans;
import io.smdrelease.gates.Gate;
import io.smdrelease.gates.GateReport;
import io.smdrelease.gates.SizeGate;
import io.smdrelease.lambda.StepInputs.PlanInput;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.release.ReleaseGates;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import io.smdrelease.reports.ImageSizes;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.vulnerability.ImageFindings;
import io.smdrelease.vulnerability.ScanWait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code Evaluate gates}: after every candidate exists, judges them (the regression against the base, the image
 * tests, the variant; the size and the CVE scan when the input asks), writes {@code gates.json} and fails with
 * {@code GateFailedException} (never retried) when a gate failed. When they pass it signs each candidate: SBOM and
 * Notation signature (AWS Signer) pushed as referrers into the staging repository, {@code signatures.json}. Input: {@code {"plan": <ReleasePlan>}}; output: the
 * {@link GateReport}. The CVE gate waits for Inspector's scans at most {@link ScanWait#DEFAULT}'s bound, and never
 * past the function's own timeout less {@link #SCAN_WAIT_MARGIN}: the Gates function's timeout is that bound's knob.
 */
public final class GatesHandler implements RequestStreamHandler {
    /**
     * Time the function keeps after the CVE gate's wait: to sign the two image types (each Signer job may take its
     * timeout), write gates.json and answer.
     */
    static final Duration SCAN_WAIT_MARGIN =
            Duration.ofSeconds(30).plus(SignerPayloadSigner.DEFAULT_TIMEOUT.multipliedBy(2));

    private final ArtifactStore store;
    private final Supplier<ImageSizes> stagingSizes;
    private final List<String> repodataUrls;
    private final Supplier<ImageFindings> findings;
    private final ScanWait scanWait;
    private final Supplier<RegistryClient> registry;
    private final Supplier<PayloadSigner> signer;
    private final Clock clock;

    public GatesHandler() {
        this(
                LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()),
                () -> ecrSizes(PipelineSettings.fromEnvironment().stagingRepository()),
                split(System.getenv(PipelineSettings.REPODATA_URLS)),
                () -> inspector(PipelineSettings.fromEnvironment().stagingRepository()),
                ScanWait.DEFAULT,
                LambdaSupport::ecrRegistry,
                () -> SigningEnvironment.signer(
                        SigningEnvironment.required(PipelineSettings.SIGNING_PROFILE),
                        PipelineSettings.fromEnvironment().artifactBucket()),
                Clock.systemUTC());
    }

    /**
     * @param stagingSizes image sizes in the staging repository, asked only when the size gate runs
     * @param repodataUrls repodata paths or URLs for the size gate; empty for conda-forge's linux-64 and noarch
     * @param findings     the scanner of the CVE gate, asked only when it runs
     * @param scanWait     how long and how often the CVE gate asks for the candidates' scans
     * @param registry     the staging repository's registry, where the signatures and SBOMs are pushed
     * @param signer       signs the candidates that passed
     */
    public GatesHandler(
            ArtifactStore store,
            Supplier<ImageSizes> stagingSizes,
            List<String> repodataUrls,
            Supplier<ImageFindings> findings,
            ScanWait scanWait,
            Supplier<RegistryClient> registry,
            Supplier<PayloadSigner> signer,
            Clock clock) {
        this.store = store;
        this.stagingSizes = stagingSizes;
        this.repodataUrls = List.copyOf(repodataUrls);
        this.findings = findings;
        this.scanWait = scanWait;
        this.registry = registry;
        this.signer = signer;
        this.clock = clock;
        LambdaSupport.prime();
    }

    private static ImageFindings inspector(String staging) {
        EcrRepository repository =
                staging == null ? null : EcrRepository.parse(staging).orElse(null);
        if (repository == null) {
            throw new InvalidInputException("cveGate needs the stack's staging repository in ECR, scanned by Amazon"
                    + " Inspector (STAGING_REPOSITORY is " + staging + "): deploy the stack with its staging"
                    + " repository, or drop cveGate");
        }
        return new InspectorImageFindings(InspectorImageFindings::client);
    }

    private static ImageSizes ecrSizes(String staging) {
        EcrRepository repository =
                staging == null ? null : EcrRepository.parse(staging).orElse(null);
        if (repository == null) {
            throw new InvalidInputException(
                    "validateSize needs the stack's staging repository in ECR (STAGING_REPOSITORY" + " is " + staging
                            + "): deploy the stack with its staging repository, or drop validateSize");
        }
        return new EcrImageSizes(EcrImageSizes.client(repository.region()), repository.name(), repository.account());
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.asList(value.trim().split("\\s+"));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        GateReport report;
        try {
            Duration left = context == null
                    ? scanWait.bound()
                    : Duration.ofMillis(context.getRemainingTimeInMillis()).minus(SCAN_WAIT_MARGIN);
            report = evaluate(
                    LambdaSupport.readInput(in, PlanInput.class, "{\"plan\": <the Generate output>}"),
                    scanWait.within(left));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, report);
    }

    public GateReport evaluate(PlanInput input) {
        return evaluate(input, scanWait);
    }

    private GateReport evaluate(PlanInput input, ScanWait wait) {
        ReleasePlan plan = PlanInputs.plan(input);
        ImageConfigs configs = ImageConfigs.load(store);
        Supplier<Gate> sizeGate = () -> new SizeGate(
                store, configs, () -> RepodataReader.read(RepodataSource.of(repodataUrls)), stagingSizes.get());
        Supplier<CandidateScans> scans = () -> new CandidateScans(findings.get(), wait, clock, ScanWait.Sleeper.REAL);
        ReleaseLifecycle lifecycle = new ReleaseLifecycle(store, configs, clock);
        GateReport report =
                lifecycle.evaluateGates(plan, ReleaseGates.of(plan.input(), store, configs, clock, sizeGate, scans));
        lifecycle.sign(plan, registry.get(), signer.get());
        return report;
    }
}
