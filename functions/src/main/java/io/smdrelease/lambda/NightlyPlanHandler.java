package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.nightly.NightlyPlanner;
import io.smdrelease.nightly.NightlyPlanner.NightlyRelease;
import io.smdrelease.nightly.NightlyScheduleStore;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The nightly state machine's {@code Plan nightly releases} step: reads {@code nightly-schedule.json} and returns the
 * release executions to start, each with its name and its release input ({@code force: true}, as the original's
 * nightly workflow). {@code NIGHTLY_TARGET_ECR_REPOS} (space-separated) names where nightly images go.
 */
public final class NightlyPlanHandler implements RequestStreamHandler {
    private final ArtifactStore store;
    private final Clock clock;
    private final List<String> targetEcrRepos;

    public NightlyPlanHandler() {
        this(
                LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()),
                Clock.systemUTC(),
                split(System.getenv("NIGHTLY_TARGET_ECR_REPOS")));
    }

    public NightlyPlanHandler(ArtifactStore store, Clock clock, List<String> targetEcrRepos) {
        this.store = store;
        this.clock = clock;
        this.targetEcrRepos = List.copyOf(targetEcrRepos);
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.asList(value.trim().split("\\s+"));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ObjectNode plan;
        try {
            plan = plan();
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, plan);
    }

    public ObjectNode plan() {
        LocalDate night = LocalDate.now(clock);
        ObjectNode out = LambdaSupport.JSON.createObjectNode();
        out.put("night", night.toString());
        ArrayNode releases = out.putArray("releases");
        for (NightlyRelease release : NightlyPlanner.plan(new NightlyScheduleStore(store).read(), night)) {
            ObjectNode item = releases.addObject();
            item.put("name", release.executionName());
            ObjectNode input = item.putObject("input");
            input.put("releaseType", release.releaseType().id());
            input.put("basePatchVersion", release.basePatchVersion());
            input.put("force", true);
            ArrayNode repos = input.putArray("targetEcrRepos");
            targetEcrRepos.forEach(repos::add);
        }
        return out;
    }
}
