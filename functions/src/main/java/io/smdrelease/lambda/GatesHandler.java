package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.gates.Gate;
import io.smdrelease.gates.GateReport;
import io.smdrelease.gates.SizeGate;
import io.smdrelease.lambda.StepInputs.PlanInput;
import io.smdrelease.release.ReleaseGates;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import io.smdrelease.reports.ImageSizes;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code Evaluate gates}: after every candidate exists, judges them (the image tests, the variant, the size when the
 * input asks), writes {@code gates.json} and fails with {@code GateFailedException} (never retried) when a gate
 * failed. Input: {@code {"plan": <ReleasePlan>}}; output: the {@link GateReport}.
 */
public final class GatesHandler implements RequestStreamHandler {
    private final ArtifactStore store;
    private final Supplier<ImageSizes> stagingSizes;
    private final List<String> repodataUrls;
    private final Clock clock;

    public GatesHandler() {
        this(
                LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()),
                () -> ecrSizes(PipelineSettings.fromEnvironment().stagingRepository()),
                split(System.getenv(PipelineSettings.REPODATA_URLS)),
                Clock.systemUTC());
    }

    /**
     * @param stagingSizes image sizes in the staging repository, asked only when the size gate runs
     * @param repodataUrls repodata paths or URLs for the size gate; empty for conda-forge's linux-64 and noarch
     */
    public GatesHandler(
            ArtifactStore store, Supplier<ImageSizes> stagingSizes, List<String> repodataUrls, Clock clock) {
        this.store = store;
        this.stagingSizes = stagingSizes;
        this.repodataUrls = List.copyOf(repodataUrls);
        this.clock = clock;
        LambdaSupport.prime();
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
            report = evaluate(LambdaSupport.readInput(in, PlanInput.class, "{\"plan\": <the Generate output>}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, report);
    }

    public GateReport evaluate(PlanInput input) {
        ReleasePlan plan = PlanInputs.plan(input);
        ImageConfigs configs = ImageConfigs.load(store);
        Supplier<Gate> sizeGate = () -> new SizeGate(
                store, configs, () -> RepodataReader.read(RepodataSource.of(repodataUrls)), stagingSizes.get());
        return new ReleaseLifecycle(store, configs, clock).evaluateGates(plan, ReleaseGates.of(plan.input(), sizeGate));
    }
}
