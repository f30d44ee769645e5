package io.smdrelease.testsupport;

import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryClient;
import java.util.Optional;

/**
 * A real registry reached under another host name, as DNS would: repositories of {@code fromHost} (an ECR host such as
 * {@code 000000000000.dkr.ecr.us-east-1.amazonaws.com}, which the CVE gate needs the candidates to be named by) are
 * served by {@code toHost} (MiniStack's ECR registry endpoint).
 */
public final class HostRewritingRegistry implements RegistryClient {
    private final RegistryClient delegate;
    private final String fromHost;
    private final String toHost;

    public HostRewritingRegistry(RegistryClient delegate, String fromHost, String toHost) {
        this.delegate = delegate;
        this.fromHost = fromHost + "/";
        this.toHost = toHost + "/";
    }

    private String at(String repository) {
        return repository.startsWith(fromHost) ? toHost + repository.substring(fromHost.length()) : repository;
    }

    @Override
    public Optional<String> digestOf(String repository, String tag) {
        return delegate.digestOf(at(repository), tag);
    }

    @Override
    public CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag) {
        return delegate.copy(at(sourceRepository), digest, at(targetRepository), tag);
    }

    @Override
    public Descriptor describe(String repository, String digest) {
        return delegate.describe(at(repository), digest);
    }

    @Override
    public String pushReferrer(String repository, Referrer referrer) {
        return delegate.pushReferrer(at(repository), referrer);
    }

    @Override
    public Referrer readReferrer(String repository, String manifestDigest) {
        return delegate.readReferrer(at(repository), manifestDigest);
    }
}
