package io.smdrelease.aws.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.gates.CandidateScans;
import io.smdrelease.gates.CveGate;
import io.smdrelease.gates.GateContext;
import io.smdrelease.gates.GateResult;
import io.smdrelease.gates.GateStatus;
import io.smdrelease.lambda.GatesHandler;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.release.ReleaseInput;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.release.RunContext;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.EmulatorSigning;
import io.smdrelease.testsupport.HostRewritingRegistry;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.SemVer;
import io.smdrelease.vulnerability.CveAllowlist;
import io.smdrelease.vulnerability.ScanWait;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.inspector2.Inspector2Client;
import software.amazon.awssdk.services.inspector2.model.ResourceScanType;

/**
 * The CVE gate against MiniStack's Inspector2 for a candidate really pushed to MiniStack's ECR. MiniStack answers
 * ListFindings with deterministic findings once ECR scanning is enabled (its stub images' findings: it ignores the
 * digest and repository filters, and its ECR findings hold four fixable HIGH ones and no CRITICAL), and with none
 * while it is disabled: then the gate waits its bound and fails.
 */
class InspectorCveGateIT {
    private static final String STAGING = "staging/smd";
    private static final String STAGING_URI = MiniStack.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com/" + STAGING;
    private static final List<String> FIXABLE_HIGH =
            List.of("CVE-2023-0464", "CVE-2023-38545", "CVE-2021-23337", "CVE-2022-24999");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @TempDir
    static Path shared;

    @TempDir
    Path root;

    private static MiniStack ministack;
    private static Inspector2Client inspector;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static String digest;
    private static String baseDigest;

    @BeforeAll
    static void start() throws Exception {
        LocalRegistry.requireTools("skopeo");
        ministack = MiniStack.start();
        try (EcrClient ecr = EcrClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .build()) {
            ecr.createRepository(r -> r.repositoryName(STAGING));
        }
        String registry = "127.0.0.1:" + ministack.port() + "/" + STAGING;
        TestImages.Image candidate = TestImages.writeImage(shared.resolve("candidate"), "cpu", 11, 4096);
        TestImages.push(candidate, registry, "candidate-1.2.1-cpu");
        digest = candidate.digest();
        TestImages.Image base = TestImages.writeImage(shared.resolve("base"), "cpu", 12, 4096);
        TestImages.push(base, registry, "candidate-1.2.0-cpu");
        baseDigest = base.digest();
        inspector = Inspector2Client.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        REQUESTS.incrementAndGet();
                    }
                }))
                .build();
    }

    @AfterAll
    static void stop() {
        if (inspector != null) {
            inspector.close();
        }
        if (ministack != null) {
            ministack.close();
        }
    }

    /** The stack turns enhanced scanning on for the staging repository; here, Inspector's ECR scanning. */
    private static void scanning(boolean on) {
        if (on) {
            inspector.enable(r -> r.resourceTypes(ResourceScanType.ECR));
        } else {
            inspector.disable(r -> r.resourceTypes(ResourceScanType.ECR));
        }
    }

    private static CandidateScans scans(ScanWait wait) {
        return new CandidateScans(
                new InspectorImageFindings(region -> inspector), wait, Clock.systemUTC(), ScanWait.Sleeper.REAL);
    }

    private static GateContext context() {
        ImageConfigs configs = ImageConfigs.builtIn();
        Candidate candidate = new Candidate("cpu", STAGING_URI, "candidate-1.2.1-cpu", digest, null);
        return new GateContext(
                SemVer.of(1, 2, 1),
                SemVer.of(1, 2, 0),
                List.of(new CandidateImage(configs.forType(1, "cpu"), candidate, null, null)),
                false);
    }

    private static String allowlist(LocalDate expiresOf0464) {
        StringBuilder json = new StringBuilder("{\"entries\": [");
        for (String id : FIXABLE_HIGH) {
            LocalDate expires = id.equals("CVE-2023-0464") ? expiresOf0464 : TODAY.plusDays(30);
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
                    .append("{\"id\": \"")
                    .append(id)
                    .append("\", \"reason\": \"")
                    .append("not reachable in ")
                    .append(id)
                    .append("\", \"expires\": \"")
                    .append(expires)
                    .append("\"}");
        }
        return json.append("]}").toString();
    }

    private GateResult evaluate(CveAllowlist allowlist) {
        REQUESTS.set(0);
        long start = System.nanoTime();
        List<GateResult> results =
                new CveGate(scans(ScanWait.DEFAULT), allowlist, Clock.systemUTC()).evaluate(context());
        System.out.printf(
                "figures: cve gate, 1 image, %d Inspector requests, %.0f ms%n",
                REQUESTS.get(), (System.nanoTime() - start) / 1e6);
        assertEquals(1, results.size());
        return results.getFirst();
    }

    @Test
    void fixableHighFindings_block_naming_eachOne_withTheCountsAndTheUnfixable() {
        scanning(true);
        GateResult result = evaluate(CveAllowlist.none("cve-allowlist.json"));

        assertEquals(GateStatus.FAILED, result.status());
        assertTrue(
                result.summary()
                        .startsWith("4 fixable HIGH/CRITICAL findings block: " + String.join(", ", FIXABLE_HIGH)
                                + "; 8 findings (CRITICAL 0, HIGH 4, MEDIUM 4, LOW 0), 0 allowed, 0 unfixable"
                                + " HIGH/CRITICAL: upgrade the packages"),
                result.summary());
        assertEquals(
                "blocking: CVE-2023-0464 HIGH openssl 3.0.7-r3 (fixed in 3.0.8-r0)",
                result.findings().get(0));
        assertTrue(
                result.findings().contains("counts: CRITICAL 0, HIGH 4, MEDIUM 4, LOW 0"),
                result.findings().toString());
        String scan = result.findings().getLast();
        assertTrue(
                scan.startsWith("scan: Amazon Inspector, " + STAGING_URI + "@" + digest + ", 1 request round(s)"),
                scan);
        assertEquals(2, REQUESTS.get(), "ListCoverage and one page of ListFindings");
    }

    @Test
    void allowlistedFindings_pass_withTheirReasonsRecorded() throws Exception {
        scanning(true);
        Trees.write(root.resolve(CveAllowlist.FILE), allowlist(TODAY));
        GateResult result = evaluate(CveAllowlist.load(new LocalDirStore(root)));

        assertEquals(GateStatus.PASSED, result.status(), result.summary());
        assertTrue(
                result.summary().startsWith("no fixable HIGH/CRITICAL finding blocks; 8 findings"), result.summary());
        assertEquals(
                "allowed: CVE-2023-0464 HIGH openssl 3.0.7-r3 (fixed in 3.0.8-r0) by cve-allowlist.json until " + TODAY
                        + ": not reachable in CVE-2023-0464",
                result.findings().get(0));
        assertEquals(
                4,
                result.findings().stream()
                        .filter(f -> f.startsWith("allowed: "))
                        .count());
    }

    @Test
    void anExpiredAllowlistEntry_allowsNoLonger() {
        scanning(true);
        Trees.write(root.resolve(CveAllowlist.FILE), allowlist(TODAY.minusDays(1)));
        GateResult result = evaluate(CveAllowlist.load(new LocalDirStore(root)));

        assertEquals(GateStatus.FAILED, result.status());
        assertTrue(
                result.summary().startsWith("1 fixable HIGH/CRITICAL finding blocks: CVE-2023-0464;"),
                result.summary());
        assertEquals(
                "blocking: CVE-2023-0464 HIGH openssl 3.0.7-r3 (fixed in 3.0.8-r0); its cve-allowlist.json entry"
                        + " expired on " + TODAY.minusDays(1) + " (\"not reachable in CVE-2023-0464\"): renew it"
                        + " with a new reason, or fix the package",
                result.findings().get(0));
    }

    @Test
    void noScanResultWithinTheBound_failsTheGate_afterAskingWithBackoff() {
        scanning(false);
        ScanWait wait = new ScanWait(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(800));
        long start = System.nanoTime();
        List<GateResult> results = new CveGate(scans(wait), CveAllowlist.none("cve-allowlist.json"), Clock.systemUTC())
                .evaluate(context());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        GateResult result = results.getFirst();
        assertEquals(GateStatus.FAILED, result.status());
        assertTrue(
                result.summary()
                        .startsWith("no scan result for " + digest + " within 2.0 s (Inspector covers no image "
                                + digest + " in " + STAGING + " yet (is enhanced scanning on for it?)): the CVE gate"
                                + " did not run"),
                result.summary());
        assertTrue(
                took.compareTo(Duration.ofSeconds(2)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0,
                "waited the bound, not much more: " + took);
        // pauses of 0.2, 0.4, 0.8, 0.6 s (the rest of the bound): five rounds
        assertTrue(
                result.findings().getFirst().contains(", 5 request round(s) in "),
                result.findings().toString());
    }

    /**
     * Through the Gates handler on a release of the sample distribution with {@code "cveGate": true}: the CVE results
     * land in gates.json and in the approval request; the regression gate compares the candidate's findings with the
     * base release's staged image (its release.json).
     */
    @Test
    void gatesHandler_withCveGate_recordsTheFindings_inGatesJson_andTheApprovalRequest() throws Exception {
        scanning(true);
        TestTrees.copy(Trees.examples(), root);
        Trees.write(root.resolve(CveAllowlist.FILE), allowlist(TODAY.plusDays(7)));
        Trees.write(
                root.resolve("build_artifacts/v1/v1.2/v1.2.0/release.json"),
                "{\"version\": \"1.2.0\", \"images\": {\"cpu\": {\"stagedDigest\": \"" + baseDigest + "\","
                        + " \"stagingRepository\": \"" + STAGING_URI
                        + "\", \"candidateTag\": \"candidate-1.2.0-cpu\"}}}");
        LocalDirStore store = new LocalDirStore(root);
        ReleaseLifecycle lifecycle = new ReleaseLifecycle(store, ImageConfigs.builtIn(), Clock.systemUTC());
        ReleasePlan plan = lifecycle.generate(
                ReleaseInput.parse(JSON.readTree(
                        "{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\",\"imageTypes\":[\"cpu\"],"
                                + "\"cveGate\":true,\"approval\":true}")),
                new RunContext(
                        "arn:aws:states:us-east-1:000000000000:execution:release:cve",
                        "cve",
                        STAGING_URI,
                        dir -> Map.of(),
                        type -> "build-" + type,
                        Duration.ofMinutes(15),
                        Clock.systemUTC()));
        String dir = plan.versionDir();
        Trees.write(
                root.resolve(dir + "/cpu.env.out"),
                Trees.read(root.resolve("build_artifacts/v1/v1.2/v1.2.0/cpu.env.out")));
        Trees.write(
                root.resolve(dir + "/test-report-cpu.json"),
                "{\"imageType\":\"cpu\",\"cases\":[{\"name\":\"numpy.test.Dockerfile\",\"result\":\"passed\"}]}");
        Trees.write(
                root.resolve(dir + "/candidate-cpu.json"),
                JSON.writeValueAsString(new Candidate("cpu", STAGING_URI, "candidate-1.2.1-cpu", digest, null)));

        GatesHandler handler = new GatesHandler(
                store,
                () -> null,
                List.of(),
                () -> new InspectorImageFindings(region -> inspector),
                ScanWait.DEFAULT,
                () -> new HostRewritingRegistry(
                        new OciRegistryClient(
                                ministack.registryCredentials(
                                        ministack.client(EcrClient.builder()).build(), "127.0.0.1:" + ministack.port()),
                                RetryPolicy.DEFAULT),
                        MiniStack.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com",
                        "127.0.0.1:" + ministack.port()),
                () -> {
                    ministack.s3().createBucket(b -> b.bucket("signing"));
                    return EmulatorSigning.setUp(ministack, ministack.s3(), "signing", shared.resolve("certificates"))
                            .signer();
                },
                Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(Map.of("plan", plan))), out, null);
        JsonNode report = JSON.readTree(out.toByteArray());

        assertEquals(List.of("regression", "tests", "variant", "cve"), gates(report), report.toString());
        JsonNode gatesJson = JSON.readTree(root.resolve(dir + "/gates.json").toFile());
        assertEquals(report, gatesJson);
        JsonNode cve = gatesJson.at("/results/3");
        assertEquals("PASSED", cve.get("status").asText(), cve.toString());
        assertTrue(
                cve.get("findings").get(0).asText().startsWith("allowed: CVE-2023-0464 HIGH openssl"), cve.toString());
        JsonNode regression = gatesJson.at("/results/0");
        assertEquals("PASSED", regression.get("status").asText(), regression.toString());
        assertTrue(
                regression
                        .get("findings")
                        .toString()
                        .contains("vulnerabilities against 1.2.0 (" + baseDigest + "): 0 new fixable, 0 gone"),
                regression.toString());

        lifecycle.requestApproval(plan, "token-1");
        JsonNode approval = JSON.readTree(root.resolve(dir + "/approval.json").toFile());
        assertEquals(cve, approval.at("/gates/3"), "the approver sees the same findings");
    }

    private static List<String> gates(JsonNode report) {
        List<String> names = new java.util.ArrayList<>();
        report.get("results").forEach(r -> names.add(r.get("gate").asText()));
        return names;
    }
}
