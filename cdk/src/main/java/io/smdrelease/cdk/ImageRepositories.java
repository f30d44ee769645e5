package io.smdrelease.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.constructs.Construct;

/**
 * The ECR repositories CodeBuild may push to: created here ({@code createEcrRepositories=true}) or existing ones
 * ({@code ecrRepositoryArns}).
 *
 * <p>Tags are MUTABLE on purpose: a release moves the floating tags ({@code 4.4-cpu}, {@code 4-cpu},
 * {@code latest-cpu}) to the new image, which an immutable repository rejects. The exact-version tags are protected by
 * the pipeline instead (a version is created once, under a lock; {@code force} is explicit).
 */
public final class ImageRepositories extends Construct {
    private final List<IRepository> repositories = new ArrayList<>();

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
    }

    public List<IRepository> repositories() {
        return List.copyOf(repositories);
    }

    public List<String> arns() {
        return repositories.stream().map(IRepository::getRepositoryArn).toList();
    }
}
