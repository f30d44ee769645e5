package io.smdrelease.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ecr.CfnRegistryScanningConfiguration;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecr.TagStatus;
import software.constructs.Construct;

/**
 * The ECR repositories of the two phases: the staging repository, created here, where the builds push the tested
 * candidates ({@code candidate-<version>-<type>-<run>}); and the release repositories Promote copies the gated digests
 * to, created here ({@code createEcrRepositories=true}) or existing ones ({@code ecrRepositoryArns}).
 *
 * <p>Release repositories keep MUTABLE tags on purpose: a release moves the floating tags ({@code 4.4-cpu},
 * {@code 4-cpu}, {@code latest-cpu}) to the new image, which an immutable repository rejects. The exact-version tags are
 * protected by Promote instead (a version tag on another digest fails before anything moves). The staging repository
 * is MUTABLE too: a retried build of the same run pushes the same candidate tag again.
 */
public final class ImageRepositories extends Construct {
    /** The prefix of the candidate tags (buildspecs/scripts/push.sh, io.smdrelease.release.RunContext). */
    public static final String CANDIDATE_TAG_PREFIX = "candidate-";

    private final List<IRepository> repositories = new ArrayList<>();
    private final Repository staging;

    public ImageRepositories(Construct scope, String id, PipelineConfig config) {
        super(scope, id);
        if (config.createEcrRepositories()) {
            int i = 0;
            for (String name : config.ecrRepositoryNames()) {
                repositories.add(Repository.Builder.create(this, "Repository" + i++)
                        .repositoryName(name)
                        .imageScanOnPush(true)
                        .imageTagMutability(TagMutability.MUTABLE)
                        .removalPolicy(RemovalPolicy.RETAIN)
                        .build());
            }
        } else {
            int i = 0;
            for (String arn : config.ecrRepositoryArns()) {
                repositories.add(Repository.fromRepositoryArn(this, "Existing" + i++, arn));
            }
        }
        // Candidates are only needed until they are promoted (the release repositories then hold them) or dropped:
        // untagged images and candidate tags expire; nothing else is ever pushed here.
        Duration expiry = Duration.days(config.stagingImageExpirationDays());
        staging = Repository.Builder.create(this, "Staging")
                .repositoryName(config.stagingRepositoryName())
                .imageScanOnPush(true)
                .imageTagMutability(TagMutability.MUTABLE)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .rulePriority(1)
                                .description("Expire untagged images")
                                .tagStatus(TagStatus.UNTAGGED)
                                .maxImageAge(expiry)
                                .build(),
                        LifecycleRule.builder()
                                .rulePriority(2)
                                .description("Expire candidates; released images live in the release repositories")
                                .tagStatus(TagStatus.TAGGED)
                                .tagPrefixList(List.of(CANDIDATE_TAG_PREFIX))
                                .maxImageAge(expiry)
                                .build()))
                .build();
        // Amazon Inspector's enhanced scanning of the candidates (the CVE gate) and, continuously, of the staged
        // digests the releases keep (the regression gate compares new findings with the base's)
        if (!config.enhancedScanning()) {
            return;
        }
        CfnRegistryScanningConfiguration.Builder.create(this, "EnhancedScanning")
                .scanType("ENHANCED")
                .rules(List.of(CfnRegistryScanningConfiguration.ScanningRuleProperty.builder()
                        .scanFrequency("CONTINUOUS_SCAN")
                        .repositoryFilters(List.of(CfnRegistryScanningConfiguration.RepositoryFilterProperty.builder()
                                .filter(config.stagingRepositoryName())
                                .filterType("WILDCARD")
                                .build()))
                        .build()))
                .build();
    }

    /** The release repositories. */
    public List<IRepository> repositories() {
        return List.copyOf(repositories);
    }

    /** The release repositories' ARNs. */
    public List<String> arns() {
        return repositories.stream().map(IRepository::getRepositoryArn).toList();
    }

    /** The staging repository, where the builds push candidates and Promote copies from. */
    public IRepository staging() {
        return staging;
    }
}
