package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import io.smdrelease.reports.SizeReport;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The optional {@code Check image sizes} step (execution input {@code validateSize}): after the builds pushed the
 * images, compares the target's images and packages with its base's ({@link SizeReport#gate}) and fails with
 * {@code SizeLimitExceededException} (a user error, never retried) when the new packages of an image take more than
 * {@value SizeReport#DEFAULT_LIMIT_PERCENT}% of it.
 *
 * <p>Input: {@code {"plan": <Generate output>}}. The staging repository is the first private ECR repository of
 * {@code plan.targetEcrRepos}. Repodata comes from {@code REPODATA_URLS} (space-separated paths or URLs; default
 * conda-forge's linux-64 and noarch {@code repodata.json.zst}). Output: the report as JSON.
 */
public final class SizeGateHandler implements RequestStreamHandler {
    private final ArtifactStore store;
    private final Function<String, EcrClient> ecrClients;
    private final List<String> repodataUrls;
    private final ImageConfigs imageConfigs = ImageConfigs.builtIn();

    /** The Lambda runtime's constructor: store, ECR clients (per region) and repodata URLs from the environment. */
    public SizeGateHandler() {
        this(
                LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()),
                EcrImageSizes::client,
                split(System.getenv("REPODATA_URLS")));
    }

    /**
     * @param ecrClients   an ECR client for a region, closed after each invocation
     * @param repodataUrls repodata paths or URLs; empty for conda-forge's linux-64 and noarch
     */
    public SizeGateHandler(ArtifactStore store, Function<String, EcrClient> ecrClients, List<String> repodataUrls) {
        this.store = store;
        this.ecrClients = ecrClients;
        this.repodataUrls = List.copyOf(repodataUrls);
        LambdaSupport.prime();
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.asList(value.trim().split("\\s+"));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        SizeReport report;
        try {
            report = gate(LambdaSupport.readInput(in));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, report);
    }

    /**
     * Runs the size gate on the plan's target version.
     *
     * @return the report, when the gate passes
     * @throws io.smdrelease.error.SizeLimitExceededException when it does not
     * @throws InvalidInputException when the input is no plan or names no private ECR repository
     */
    public SizeReport gate(JsonNode input) {
        JsonNode plan = input == null ? null : input.get("plan");
        if (plan == null || !plan.isObject() || !plan.path("targetVersion").isTextual()) {
            throw new InvalidInputException("the size gate needs {\"plan\": <the Generate output>}, with"
                    + " plan.targetVersion and plan.targetEcrRepos");
        }
        List<String> repos = new ArrayList<>();
        plan.path("targetEcrRepos").forEach(r -> repos.add(r.asText()));
        EcrRepository staging = EcrRepository.firstPrivate(repos)
                .orElseThrow(() -> new InvalidInputException(
                        "the size gate needs a private ECR repository (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME) in"
                                + " plan.targetEcrRepos, which is " + repos));
        RepodataIndex index = RepodataReader.read(RepodataSource.of(repodataUrls));
        try (EcrClient ecr = ecrClients.apply(staging.region())) {
            return SizeReport.gate(
                    store,
                    imageConfigs,
                    plan.get("targetVersion").asText(),
                    index,
                    new EcrImageSizes(ecr, staging.name(), staging.account()),
                    SizeReport.DEFAULT_LIMIT_PERCENT);
        }
    }
}
