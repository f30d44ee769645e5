package io.smdrelease.cdk;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the app reads from CDK context, read and validated once in {@link ReleasePipelineApp#main}.
 *
 * <p>Context values come from cdk.json (typed JSON) or from {@code -c key=value} (always strings), so every reader
 * accepts both forms.
 */
public record PipelineConfig(
        String stackName,
        String namePrefix,
        int noncurrentVersionExpirationDays,
        boolean createEcrRepositories,
        List<String> ecrRepositoryNames,
        List<String> ecrRepositoryArns,
        String gpuBuildImage,
        Optional<String> alarmEmail,
        String artifactStorePrefix,
        Path functionsJar,
        Path buildspecsDir,
        Path stateMachineFile,
        Optional<List<String>> nightlyTargetEcrRepos,
        String nightlyScheduleExpression,
        String nightlyScheduleTimeZone,
        boolean nightlyEnabled,
        Path nightlyStateMachineFile,
        List<String> repodataUrls,
        String stagingRepositoryName,
        int stagingImageExpirationDays,
        Optional<String> approvalEmail,
        boolean enhancedScanning,
        String signingProfile,
        String signingCertificateArn) {

    public static final String STACK_NAME = "stackName";
    public static final String NAME_PREFIX = "namePrefix";
    public static final String NONCURRENT_VERSION_EXPIRATION_DAYS = "noncurrentVersionExpirationDays";
    public static final String CREATE_ECR_REPOSITORIES = "createEcrRepositories";
    public static final String ECR_REPOSITORY_NAMES = "ecrRepositoryNames";
    public static final String ECR_REPOSITORY_ARNS = "ecrRepositoryArns";
    public static final String GPU_BUILD_IMAGE = "gpuBuildImage";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String ARTIFACT_STORE_PREFIX = "artifactStorePrefix";
    public static final String FUNCTIONS_JAR = "functionsJar";
    public static final String BUILDSPECS_DIR = "buildspecsDir";
    public static final String STATE_MACHINE_FILE = "stateMachineFile";
    public static final String NIGHTLY_TARGET_ECR_REPOS = "nightlyTargetEcrRepos";
    public static final String NIGHTLY_SCHEDULE_EXPRESSION = "nightlyScheduleExpression";
    public static final String NIGHTLY_SCHEDULE_TIME_ZONE = "nightlyScheduleTimeZone";
    public static final String NIGHTLY_ENABLED = "nightlyEnabled";
    public static final String NIGHTLY_STATE_MACHINE_FILE = "nightlyStateMachineFile";
    public static final String REPODATA_URLS = "repodataUrls";
    public static final String STAGING_REPOSITORY_NAME = "stagingRepositoryName";
    public static final String STAGING_IMAGE_EXPIRATION_DAYS = "stagingImageExpirationDays";
    /**
     * Turns Amazon Inspector's enhanced scanning on for the staging repository (the CVE gate reads it). It is the
     * registry's one scanning configuration; off where another stack owns it, or where no emulator provides it.
     */
    public static final String ENHANCED_SCANNING = "enhancedScanning";

    public static final String APPROVAL_EMAIL = "approvalEmail";
    /** The AWS Signer profile (platform AWSIoTDeviceManagement-SHA256-ECDSA) Gates signs each candidate with. */
    public static final String SIGNING_PROFILE = "signingProfile";
    /** The ACM certificate of that profile: what Promote trusts a signature by. */
    public static final String SIGNING_CERTIFICATE_ARN = "signingCertificateArn";
    /** How to get both: CloudFormation cannot create a signing profile on that platform, the operator does, once. */
    static final String SIGNING_SETUP = "make the profile once with smd-release signing-setup --profile-name NAME"
            + " (--certificate-arn ARN | --certificate cert.pem --private-key key.pem), which prints its profileName and"
            + " certificateArn, and pass them as -c " + SIGNING_PROFILE + "=NAME -c " + SIGNING_CERTIFICATE_ARN
            + "=ARN";

    public static final String DEFAULT_STACK_NAME = "SmdReleasePipeline";
    public static final String DEFAULT_NAME_PREFIX = "smd-release";
    public static final int DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;
    public static final List<String> DEFAULT_ECR_REPOSITORY_NAMES = List.of("sagemaker-distribution");
    /** An AWS Deep Learning Containers image (repository:tag) with CUDA, so GPU image tests can run on the GPU host. */
    public static final String DEFAULT_GPU_BUILD_IMAGE = "pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-ec2";

    /**
     * Days a candidate (and an untagged image) stays in the staging repository. A promotion of older candidates
     * ({@code "promote": true}) finds nothing to copy: build them again.
     */
    public static final int DEFAULT_STAGING_IMAGE_EXPIRATION_DAYS = 30;

    public static final String DEFAULT_FUNCTIONS_JAR = "../functions/target/smd-release.jar";
    public static final String DEFAULT_BUILDSPECS_DIR = "../buildspecs";
    public static final String DEFAULT_STATE_MACHINE_FILE = "../statemachine/release.asl.json";
    public static final String DEFAULT_NIGHTLY_STATE_MACHINE_FILE = "../statemachine/nightly.asl.json";
    /** Monday to Friday at 00:00, like the original nightly workflow. */
    public static final String DEFAULT_NIGHTLY_SCHEDULE_EXPRESSION = "cron(0 0 ? * MON-FRI *)";

    public static final String DEFAULT_NIGHTLY_SCHEDULE_TIME_ZONE = "UTC";
    /** The size gate's package sizes: conda-forge's linux-64 and noarch repodata (io.smdrelease.repodata.RepodataSource). */
    public static final List<String> DEFAULT_REPODATA_URLS = List.of(
            "https://conda.anaconda.org/conda-forge/linux-64/repodata.json.zst",
            "https://conda.anaconda.org/conda-forge/noarch/repodata.json.zst");

    private static final Pattern STACK_NAME_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    private static final Pattern NAME_PREFIX_PATTERN = Pattern.compile("[a-z][a-z0-9-]{1,29}");
    private static final Pattern REPOSITORY_NAME_PATTERN =
            Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*");
    private static final Pattern REPOSITORY_ARN_PATTERN =
            Pattern.compile("arn:aws[a-z-]*:ecr:[a-z0-9-]+:\\d{12}:repository/" + REPOSITORY_NAME_PATTERN.pattern());
    private static final Pattern GPU_IMAGE_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+");
    /** AWS Signer's profile names. */
    private static final Pattern SIGNING_PROFILE_PATTERN = Pattern.compile("[a-zA-Z0-9_]{2,64}");

    private static final Pattern CERTIFICATE_ARN_PATTERN = Pattern.compile(
            "arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    private static final Pattern EMAIL_PATTERN = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** What the release input accepts in targetEcrRepos: {@code registry[:port]/repository[/more]}. */
    private static final Pattern REPOSITORY_URI_PATTERN =
            Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?/" + REPOSITORY_NAME_PATTERN.pattern());
    /** EventBridge Scheduler cron: six fields (minutes hours day-of-month month day-of-week year). */
    private static final Pattern URL_PATTERN = Pattern.compile("https?://[^\\s,]+");

    private static final Pattern CRON_PATTERN = Pattern.compile("cron\\([^\\s()]+( [^\\s()]+){5}\\)");
    private static final Pattern TIME_ZONE_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9_+/-]*");
    private static final Pattern STORE_PREFIX_PATTERN = Pattern.compile("([A-Za-z0-9._-]+/)*([A-Za-z0-9._-]+/?)?");

    /**
     * Reads and validates every context key.
     *
     * @param context looks a key up (e.g. {@code key -> app.getNode().tryGetContext(key)}); null when unset
     * @param baseDir relative paths in context are resolved against it (the cdk/ folder)
     * @throws InvalidContextException listing every bad key
     */
    public static PipelineConfig fromContext(Function<String, Object> context, Path baseDir) {
        ContextReader r = new ContextReader(context);
        String stackName = r.string(STACK_NAME, DEFAULT_STACK_NAME, STACK_NAME_PATTERN, "a CloudFormation stack name");
        String namePrefix = r.string(
                NAME_PREFIX,
                DEFAULT_NAME_PREFIX,
                NAME_PREFIX_PATTERN,
                "2-30 lowercase letters, digits or '-', starting with a letter");
        int days = r.integer(NONCURRENT_VERSION_EXPIRATION_DAYS, DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, 1, 3650);
        boolean createRepos = r.bool(CREATE_ECR_REPOSITORIES, false);
        List<String> repoNames = r.list(
                ECR_REPOSITORY_NAMES, DEFAULT_ECR_REPOSITORY_NAMES, REPOSITORY_NAME_PATTERN, "an ECR repository name");
        List<String> repoArns = r.list(
                ECR_REPOSITORY_ARNS,
                List.of(),
                REPOSITORY_ARN_PATTERN,
                "an ECR repository ARN (arn:aws:ecr:REGION:ACCOUNT:repository/NAME)");
        if (createRepos && repoNames.isEmpty()) {
            r.problem(ECR_REPOSITORY_NAMES + ": must name at least one repository when " + CREATE_ECR_REPOSITORIES
                    + " is true");
        }
        if (!createRepos && repoArns.isEmpty()) {
            r.problem(ECR_REPOSITORY_ARNS + ": Promote would have no release repository to copy to; set "
                    + ECR_REPOSITORY_ARNS + " to existing repository ARNs or set " + CREATE_ECR_REPOSITORIES + "=true");
        }
        String gpuImage = r.string(
                GPU_BUILD_IMAGE,
                DEFAULT_GPU_BUILD_IMAGE,
                GPU_IMAGE_PATTERN,
                "an AWS Deep Learning Containers image as repository:tag, e.g. " + DEFAULT_GPU_BUILD_IMAGE);
        Optional<String> email = Optional.ofNullable(r.string(ALARM_EMAIL, null, EMAIL_PATTERN, "an email address"));
        String storePrefix = storePrefix(r);
        Path jar = r.file(
                FUNCTIONS_JAR,
                DEFAULT_FUNCTIONS_JAR,
                baseDir,
                "",
                ": run cdk/synth.sh (it builds the jar), or mvn -B package -DskipTests -pl functions from the"
                        + " repository root");
        Path buildspecs = r.file(BUILDSPECS_DIR, DEFAULT_BUILDSPECS_DIR, baseDir, "build.yml", "");
        Path asl = r.file(STATE_MACHINE_FILE, DEFAULT_STATE_MACHINE_FILE, baseDir, "", "");
        Optional<List<String>> nightlyRepos = Optional.ofNullable(r.list(
                NIGHTLY_TARGET_ECR_REPOS,
                null,
                REPOSITORY_URI_PATTERN,
                "a repository URI (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME)"));
        String cron = r.string(
                NIGHTLY_SCHEDULE_EXPRESSION,
                DEFAULT_NIGHTLY_SCHEDULE_EXPRESSION,
                CRON_PATTERN,
                "an EventBridge Scheduler cron expression with six fields, e.g. "
                        + DEFAULT_NIGHTLY_SCHEDULE_EXPRESSION);
        String timeZone = timeZone(r);
        boolean nightlyEnabled = r.bool(NIGHTLY_ENABLED, true);
        Path nightlyAsl = r.file(NIGHTLY_STATE_MACHINE_FILE, DEFAULT_NIGHTLY_STATE_MACHINE_FILE, baseDir, "", "");
        List<String> repodataUrls = r.list(
                REPODATA_URLS,
                DEFAULT_REPODATA_URLS,
                URL_PATTERN,
                "an http(s) URL of a repodata.json or repodata.json.zst");
        if (repodataUrls.isEmpty()) {
            r.problem(REPODATA_URLS + ": must name at least one repodata URL (leave it out for conda-forge)");
        }
        String stagingName = stagingRepositoryName(r, namePrefix, createRepos ? repoNames : List.of());
        int stagingDays = r.integer(STAGING_IMAGE_EXPIRATION_DAYS, DEFAULT_STAGING_IMAGE_EXPIRATION_DAYS, 1, 3650);
        Optional<String> approvalEmail =
                Optional.ofNullable(r.string(APPROVAL_EMAIL, null, EMAIL_PATTERN, "an email address"));
        boolean enhancedScanning = r.bool(ENHANCED_SCANNING, true);
        String signingProfile = signingProfile(r);
        String signingCertificateArn = signingCertificateArn(r);
        r.throwIfAny();
        return new PipelineConfig(
                stackName,
                namePrefix,
                days,
                createRepos,
                repoNames,
                repoArns,
                gpuImage,
                email,
                storePrefix,
                jar,
                buildspecs,
                asl,
                nightlyRepos,
                cron,
                timeZone,
                nightlyEnabled,
                nightlyAsl,
                repodataUrls,
                stagingName,
                stagingDays,
                approvalEmail,
                enhancedScanning,
                signingProfile,
                signingCertificateArn);
    }

    /** The artifact store's key prefix, empty or ending in '/'. */
    private static String storePrefix(ContextReader r) {
        String storePrefix = r.string(
                ARTIFACT_STORE_PREFIX,
                "",
                STORE_PREFIX_PATTERN,
                "empty or a key prefix such as smd or smd/ (no leading or double '/')");
        // S3Store accepts both; IAM resource patterns need the '/'
        return storePrefix.isEmpty() || storePrefix.endsWith("/") ? storePrefix : storePrefix + "/";
    }

    private static String signingProfile(ContextReader r) {
        return r.required(
                SIGNING_PROFILE,
                SIGNING_PROFILE_PATTERN,
                "the name (2-64 letters, digits or '_') of the AWS Signer profile that signs each released image",
                SIGNING_SETUP);
    }

    private static String signingCertificateArn(ContextReader r) {
        return r.required(
                SIGNING_CERTIFICATE_ARN,
                CERTIFICATE_ARN_PATTERN,
                "the ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID) of the ACM certificate that profile signs with",
                SIGNING_SETUP);
    }

    private static String timeZone(ContextReader r) {
        String timeZone = r.string(
                NIGHTLY_SCHEDULE_TIME_ZONE,
                DEFAULT_NIGHTLY_SCHEDULE_TIME_ZONE,
                TIME_ZONE_PATTERN,
                "an IANA time zone such as UTC or Europe/Berlin");
        if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
            r.problem(NIGHTLY_SCHEDULE_TIME_ZONE + ": expected an IANA time zone such as UTC or Europe/Berlin but got '"
                    + timeZone + "'");
        }
        return timeZone;
    }

    /** The staging repository's name; it must not be one of the release repositories the stack creates. */
    private static String stagingRepositoryName(
            ContextReader r, String namePrefix, List<String> createdReleaseRepositories) {
        String name = r.string(
                STAGING_REPOSITORY_NAME,
                new Naming(namePrefix).stagingRepository(),
                REPOSITORY_NAME_PATTERN,
                "an ECR repository name");
        if (createdReleaseRepositories.contains(name)) {
            r.problem(STAGING_REPOSITORY_NAME + ": '" + name + "' is also in " + ECR_REPOSITORY_NAMES
                    + "; the staging repository holds candidates only, so give it a name of its own");
        }
        return name;
    }
}
