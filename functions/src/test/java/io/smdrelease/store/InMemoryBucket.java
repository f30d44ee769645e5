package io.smdrelease.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An {@link ObjectBucket} in memory with the semantics the bucket store relies on (ETags that change on every write,
 * conditional writes and deletes, listings in key order), so the
 * store's logic runs without the emulator. Thread-safe: every operation is atomic.
 */
public class InMemoryBucket implements ObjectBucket {
    private final NavigableMap<String, StoredObject> objects = new TreeMap<>();
    private final Clock clock;

    public InMemoryBucket(Clock clock) {
        this.clock = clock;
    }

    public InMemoryBucket() {
        this(Clock.systemUTC());
    }

    @Override
    public String uri(String key) {
        return "mem://bucket/" + key;
    }

    /** Every key, sorted: what a test compares after an operation. */
    public synchronized List<String> keys() {
        return List.copyOf(objects.keySet());
    }

    @Override
    public synchronized Optional<StoredObject> get(String key) {
        return Optional.ofNullable(objects.get(key))
                .map(o -> new StoredObject(o.content().clone(), o.eTag(), o.lastModified(), o.metadata()));
    }

    @Override
    public synchronized Optional<ObjectHead> head(String key) {
        return Optional.ofNullable(objects.get(key))
                .map(o -> new ObjectHead(o.eTag(), o.lastModified(), o.content().length, o.metadata()));
    }

    @Override
    public synchronized String put(String key, byte[] content, Map<String, String> metadata) {
        String eTag = "\"" + UUID.randomUUID() + "\"";
        objects.put(key, new StoredObject(content.clone(), eTag, Instant.now(clock), metadata));
        return eTag;
    }

    @Override
    public synchronized Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        return objects.containsKey(key) ? Optional.empty() : Optional.of(put(key, content, metadata));
    }

    @Override
    public synchronized Optional<String> putIfMatch(
            String key, byte[] content, Map<String, String> metadata, String eTag) {
        StoredObject current = objects.get(key);
        return current != null && ObjectBucket.sameETag(current.eTag(), eTag)
                ? Optional.of(put(key, content, metadata))
                : Optional.empty();
    }

    @Override
    public synchronized boolean deleteIfMatch(String key, String eTag) {
        StoredObject current = objects.get(key);
        if (current == null || !ObjectBucket.sameETag(current.eTag(), eTag)) {
            return false;
        }
        objects.remove(key);
        return true;
    }

    @Override
    public synchronized void deleteAll(Collection<String> keys) {
        keys.forEach(objects::remove);
    }

    @Override
    public synchronized List<ListedObject> list(String keyPrefix) {
        List<ListedObject> out = new ArrayList<>();
        for (Map.Entry<String, StoredObject> e :
                objects.tailMap(keyPrefix, true).entrySet()) {
            if (!e.getKey().startsWith(keyPrefix)) {
                break;
            }
            out.add(new ListedObject(e.getKey(), e.getValue().content().length));
        }
        return out;
    }

    @Override
    public synchronized boolean hasObjectsUnder(String keyPrefix) {
        String next = objects.ceilingKey(keyPrefix);
        return next != null && next.startsWith(keyPrefix);
    }

    @Override
    public synchronized Listing listOneLevel(String keyPrefix) {
        List<ListedObject> direct = new ArrayList<>();
        TreeSet<String> prefixes = new TreeSet<>();
        for (ListedObject o : list(keyPrefix)) {
            int slash = o.key().indexOf('/', keyPrefix.length());
            if (slash < 0) {
                direct.add(o);
            } else {
                prefixes.add(o.key().substring(0, slash + 1));
            }
        }
        return new Listing(direct, List.copyOf(prefixes));
    }
}
