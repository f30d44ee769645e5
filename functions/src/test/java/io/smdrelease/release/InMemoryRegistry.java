package io.smdrelease.release;

import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.registry.RegistryUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registries as tags to digests, for the promotion's ordering rules in unit tests (the real client is tested against
 * real registries in its ITs). Records every tag write in order; a repository listed in {@link #down} fails.
 */
final class InMemoryRegistry implements RegistryClient {
    final Map<String, String> tags = new ConcurrentHashMap<>();
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    final Set<String> down = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<String> digestOf(String repository, String tag) {
        fail(repository);
        return Optional.ofNullable(tags.get(repository + ":" + tag));
    }

    @Override
    public CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag) {
        fail(targetRepository);
        String previous = tags.put(targetRepository + ":" + tag, digest);
        boolean skipped = digest.equals(previous);
        if (!skipped) {
            writes.add(targetRepository + ":" + tag);
        }
        return skipped
                ? CopyResult.skipped(targetRepository, tag, digest)
                : new CopyResult(targetRepository, tag, digest, false, 1, 0, 0, 0, 0);
    }

    private void fail(String repository) {
        if (down.contains(repository)) {
            throw new RegistryUnavailableException(
                    repository,
                    null,
                    0,
                    "connection refused",
                    repository + " is unreachable (connection refused)",
                    null);
        }
    }

    // TEMP: compile shim (drop on merge); implemented on the registry helper's branch
    @Override
    public io.smdrelease.registry.Descriptor describe(String repository, String digest) {
        throw new UnsupportedOperationException("describe: not on this branch");
    }

    @Override
    public String pushReferrer(String repository, io.smdrelease.registry.Referrer referrer) {
        throw new UnsupportedOperationException("pushReferrer: not on this branch");
    }

    @Override
    public io.smdrelease.registry.Referrer readReferrer(String repository, String manifestDigest) {
        throw new UnsupportedOperationException("readReferrer: not on this branch");
    }
}
