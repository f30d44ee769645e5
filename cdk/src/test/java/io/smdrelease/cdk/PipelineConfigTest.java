package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

    private static PipelineConfig read(Map<String, Object> context) {
        Map<String, Object> withJar = new HashMap<>(TestStacks.SIGNING_CONTEXT);
        withJar.put(PipelineConfig.FUNCTIONS_JAR, TestStacks.jar().toString());
        withJar.putAll(context);
        return PipelineConfig.fromContext(withJar::get, Path.of(""));
    }

    private static InvalidContextException invalid(Map<String, Object> context) {
        return assertThrows(InvalidContextException.class, () -> read(context));
    }

    @Test
    void defaults_whenOnlyCreateEcrRepositoriesIsSet() {
        PipelineConfig config = read(Map.of(PipelineConfig.CREATE_ECR_REPOSITORIES, true));
        assertEquals("SmdReleasePipeline", config.stackName());
        assertEquals("smd-release", config.namePrefix());
        assertEquals(90, config.noncurrentVersionExpirationDays());
        assertEquals(List.of("sagemaker-distribution"), config.ecrRepositoryNames());
        assertEquals(List.of(), config.ecrRepositoryArns());
        assertEquals(Optional.empty(), config.alarmEmail());
        assertEquals("", config.artifactStorePrefix());
        assertTrue(config.stateMachineFile().endsWith(Path.of("statemachine", "release.asl.json")));
        assertEquals(Optional.empty(), config.nightlyTargetEcrRepos());
        assertEquals("cron(0 0 ? * MON-FRI *)", config.nightlyScheduleExpression());
        assertEquals("UTC", config.nightlyScheduleTimeZone());
        assertTrue(config.nightlyEnabled());
        assertTrue(config.nightlyStateMachineFile().endsWith(Path.of("statemachine", "nightly.asl.json")));
        assertEquals(PipelineConfig.DEFAULT_REPODATA_URLS, config.repodataUrls());
    }

    @Test
    void repodataUrls_areHttpUrls() {
        assertEquals(
                List.of("https://m.example.com/a/repodata.json", "http://10.0.0.1/b/repodata.json.zst"),
                read(Map.of(
                                PipelineConfig.CREATE_ECR_REPOSITORIES,
                                true,
                                PipelineConfig.REPODATA_URLS,
                                "https://m.example.com/a/repodata.json,http://10.0.0.1/b/repodata.json.zst"))
                        .repodataUrls());
        InvalidContextException e = invalid(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES, true, PipelineConfig.REPODATA_URLS, "/local/repodata.json"));
        assertTrue(e.getMessage().contains("repodataUrls: expected each entry to be an http(s) URL"), e.getMessage());
        e = invalid(Map.of(PipelineConfig.CREATE_ECR_REPOSITORIES, true, PipelineConfig.REPODATA_URLS, List.of()));
        assertTrue(e.getMessage().contains("repodataUrls: must name at least one"), e.getMessage());
    }

    @Test
    void nightlyKeys_fromTheCommandLine() {
        PipelineConfig config = read(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES, true,
                PipelineConfig.NIGHTLY_TARGET_ECR_REPOS,
                        "123456789012.dkr.ecr.us-east-1.amazonaws.com/smd,localhost:5000/a/b",
                PipelineConfig.NIGHTLY_SCHEDULE_EXPRESSION, "cron(0 2 ? * MON-FRI *)",
                PipelineConfig.NIGHTLY_SCHEDULE_TIME_ZONE, "America/Los_Angeles",
                PipelineConfig.NIGHTLY_ENABLED, "false"));
        assertEquals(
                Optional.of(List.of("123456789012.dkr.ecr.us-east-1.amazonaws.com/smd", "localhost:5000/a/b")),
                config.nightlyTargetEcrRepos());
        assertEquals("cron(0 2 ? * MON-FRI *)", config.nightlyScheduleExpression());
        assertEquals("America/Los_Angeles", config.nightlyScheduleTimeZone());
        assertFalse(config.nightlyEnabled());
        assertEquals(
                Optional.of(List.of()),
                read(Map.of(
                                PipelineConfig.CREATE_ECR_REPOSITORIES,
                                true,
                                PipelineConfig.NIGHTLY_TARGET_ECR_REPOS,
                                List.of()))
                        .nightlyTargetEcrRepos(),
                "[] pushes nothing");
    }

    @Test
    void badNightlyKeys_areEachNamed() {
        InvalidContextException e = invalid(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES, true,
                PipelineConfig.NIGHTLY_TARGET_ECR_REPOS, List.of("https://example.com/repo"),
                PipelineConfig.NIGHTLY_SCHEDULE_EXPRESSION, "0 0 * * 1-5",
                PipelineConfig.NIGHTLY_SCHEDULE_TIME_ZONE, "Mars/Olympus_Mons",
                PipelineConfig.NIGHTLY_ENABLED, "sometimes",
                PipelineConfig.NIGHTLY_STATE_MACHINE_FILE, "does-not-exist.asl.json"));
        List<String> keys =
                e.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertEquals(
                List.of(
                        "nightlyTargetEcrRepos",
                        "nightlyScheduleExpression",
                        "nightlyScheduleTimeZone",
                        "nightlyEnabled",
                        "nightlyStateMachineFile"),
                keys,
                e.getMessage());
        assertTrue(
                e.getMessage().contains("'0 0 * * 1-5'") && e.getMessage().contains("cron(0 0 ? * MON-FRI *)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'Mars/Olympus_Mons'"), e.getMessage());
        assertTrue(
                invalid(Map.of(
                                PipelineConfig.CREATE_ECR_REPOSITORIES,
                                true,
                                PipelineConfig.NIGHTLY_SCHEDULE_EXPRESSION,
                                "cron(0 0 * * *)"))
                        .problems()
                        .get(0)
                        .startsWith("nightlyScheduleExpression: "),
                "five fields are not enough");
    }

    @Test
    void commandLineStrings_areParsedLikeJsonValues() {
        PipelineConfig config = read(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES,
                "false",
                PipelineConfig.ECR_REPOSITORY_ARNS,
                "[\"arn:aws:ecr:us-east-1:123456789012:repository/a\", arn:aws:ecr:us-east-1:123456789012:repository/b/c]",
                PipelineConfig.NONCURRENT_VERSION_EXPIRATION_DAYS,
                "14",
                PipelineConfig.ALARM_EMAIL,
                "a@example.com"));
        assertFalse(config.createEcrRepositories());
        assertEquals(
                List.of(
                        "arn:aws:ecr:us-east-1:123456789012:repository/a",
                        "arn:aws:ecr:us-east-1:123456789012:repository/b/c"),
                config.ecrRepositoryArns());
        assertEquals(14, config.noncurrentVersionExpirationDays());
        assertEquals(Optional.of("a@example.com"), config.alarmEmail());
    }

    @Test
    void missingJar_saysHowToBuildIt() {
        InvalidContextException e = invalid(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES,
                true,
                PipelineConfig.FUNCTIONS_JAR,
                "target/does-not-exist.jar"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("functionsJar: "), e.getMessage());
        assertTrue(e.getMessage().contains("run cdk/synth.sh (it builds the jar), or mvn -B package"), e.getMessage());
    }

    @Test
    void noRepositories_namesBothKeys() {
        InvalidContextException e = invalid(Map.of());
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("ecrRepositoryArns: "), e.getMessage());
        assertTrue(e.problems().get(0).contains("createEcrRepositories=true"), e.getMessage());
    }

    @Test
    void everyBadKey_isReportedAtOnceAndNamed() {
        InvalidContextException e = invalid(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES, "yes",
                PipelineConfig.ECR_REPOSITORY_ARNS, List.of("arn:aws:s3:::bucket"),
                PipelineConfig.NONCURRENT_VERSION_EXPIRATION_DAYS, "ninety",
                PipelineConfig.NAME_PREFIX, "Bad_Prefix",
                PipelineConfig.ALARM_EMAIL, "not-an-email",
                PipelineConfig.GPU_BUILD_IMAGE, "no-tag",
                PipelineConfig.ARTIFACT_STORE_PREFIX, "/smd"));
        List<String> keys = e.problems().stream()
                .map(p -> p.substring(0, p.indexOf(':')))
                .distinct()
                .toList();
        assertTrue(
                keys.containsAll(List.of(
                        "createEcrRepositories",
                        "ecrRepositoryArns",
                        "noncurrentVersionExpirationDays",
                        "namePrefix",
                        "alarmEmail",
                        "gpuBuildImage",
                        "artifactStorePrefix")),
                e.getMessage());
        assertTrue(e.getMessage().contains("'ninety'"), "quotes the bad value: " + e.getMessage());
    }

    @Test
    void storePrefix_isNormalizedToEndWithASlash() {
        assertEquals(
                "smd/releases/",
                read(Map.of(
                                PipelineConfig.CREATE_ECR_REPOSITORIES,
                                true,
                                PipelineConfig.ARTIFACT_STORE_PREFIX,
                                "smd/releases"))
                        .artifactStorePrefix());
        assertEquals(
                "smd/",
                read(Map.of(PipelineConfig.CREATE_ECR_REPOSITORIES, true, PipelineConfig.ARTIFACT_STORE_PREFIX, "smd/"))
                        .artifactStorePrefix());
    }

    @Test
    void expirationDays_outOfRangeIsRejected() {
        InvalidContextException e = invalid(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES, true, PipelineConfig.NONCURRENT_VERSION_EXPIRATION_DAYS, 0));
        assertTrue(
                e.problems().get(0).startsWith("noncurrentVersionExpirationDays: expected a whole number from 1"),
                e.getMessage());
    }

    @Test
    void signingKeys_areRead() {
        PipelineConfig config = read(Map.of(PipelineConfig.CREATE_ECR_REPOSITORIES, true));
        assertEquals(TestStacks.SIGNING_PROFILE, config.signingProfile());
        assertEquals(TestStacks.SIGNING_CERTIFICATE_ARN, config.signingCertificateArn());
    }

    /** The stack signs what it releases: without the profile and its certificate there is nothing to deploy. */
    @Test
    void signingKeys_areRequired_andTheProblemSaysHowToGetThem() {
        Map<String, Object> context = Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES,
                true,
                PipelineConfig.FUNCTIONS_JAR,
                TestStacks.jar().toString());
        InvalidContextException e = assertThrows(
                InvalidContextException.class, () -> PipelineConfig.fromContext(context::get, Path.of("")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("signingProfile: required: the name"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("signingCertificateArn: required: the ARN"), e.getMessage());
        for (String problem : e.problems()) {
            assertTrue(problem.contains("smd-release signing-setup --profile-name NAME"), problem);
            assertTrue(problem.endsWith("pass them as -c signingProfile=NAME -c signingCertificateArn=ARN"), problem);
        }
        // blank, as -c signingProfile= gives it, is missing too
        e = invalid(Map.of(PipelineConfig.CREATE_ECR_REPOSITORIES, true, PipelineConfig.SIGNING_PROFILE, " "));
        assertTrue(e.problems().get(0).startsWith("signingProfile: required"), e.getMessage());
    }

    @Test
    void signingKeys_malformed_areNamedAndQuoted() {
        InvalidContextException e = invalid(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES,
                true,
                PipelineConfig.SIGNING_PROFILE,
                "smd-release",
                PipelineConfig.SIGNING_CERTIFICATE_ARN,
                "arn:aws:acm:us-east-1:123456789012:certificate/not-a-uuid"));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(
                e.problems()
                        .get(0)
                        .startsWith("signingProfile: expected the name (2-64 letters, digits or '_') of the AWS Signer"
                                + " profile that signs each released image but got 'smd-release'; make the profile"
                                + " once with smd-release signing-setup"),
                e.getMessage());
        assertTrue(
                e.problems()
                        .get(1)
                        .startsWith(
                                "signingCertificateArn: expected the ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)"
                                        + " of the ACM certificate that profile signs with but got"
                                        + " 'arn:aws:acm:us-east-1:123456789012:certificate/not-a-uuid'"),
                e.getMessage());
        for (Object bad : List.of("x", "a".repeat(65), 42, "arn:aws:acm:us-east-1:123456789012:certificate/ab")) {
            String key = bad instanceof String s && s.startsWith("arn:")
                    ? PipelineConfig.SIGNING_CERTIFICATE_ARN
                    : PipelineConfig.SIGNING_PROFILE;
            e = invalid(Map.of(PipelineConfig.CREATE_ECR_REPOSITORIES, true, key, bad));
            assertTrue(e.problems().get(0).startsWith(key + ": expected "), e.getMessage());
        }
        // another partition, and the longest name
        PipelineConfig config = read(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES,
                true,
                PipelineConfig.SIGNING_PROFILE,
                "A_" + "b".repeat(62),
                PipelineConfig.SIGNING_CERTIFICATE_ARN,
                "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"));
        assertEquals(64, config.signingProfile().length());
    }
}
