package io.smdrelease.nightly;

import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.VersionLockedException;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.ArtifactStore.Revision;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Reads and updates {@code nightly-schedule.json} in a store; every update is a conditional write, retried on conflict. */
public final class NightlyScheduleStore {
    private static final int ATTEMPTS = 8;
    private final ArtifactStore store;

    public NightlyScheduleStore(ArtifactStore store) {
        this.store = store;
    }

    /**
     * The schedule. A store without one is an error, not an empty schedule: a nightly that plans nothing and succeeds
     * would hide a missing or misplaced file.
     *
     * @throws MissingArtifactException naming the file and how to create it
     */
    public NightlySchedule read() {
        return store.read(NightlySchedule.FILE)
                .map(bytes -> NightlySchedule.parse(store.locationOf(NightlySchedule.FILE), bytes))
                .orElseThrow(() -> new MissingArtifactException(store.locationOf(NightlySchedule.FILE)
                        + " does not exist, so there is nothing to build nightly: create it with"
                        + " smd-release nightly add-next-versions --version V (the released versions to start from),"
                        + " or write {\"patch_base_versions\": [], \"minor_base_versions\": [],"
                        + " \"major_base_versions\": []} there"));
    }

    /**
     * Applies {@code change} to the current schedule and writes it only if nobody wrote in between; on a conflict
     * reads again and reapplies, so that two concurrent edits both land. A change that changes nothing writes nothing
     * (the file keeps its bytes, and a store without a schedule gets none).
     *
     * @throws VersionLockedException when the file kept changing under every attempt
     */
    public NightlySchedule update(UnaryOperator<NightlySchedule> change) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Revision> current = store.readRevision(NightlySchedule.FILE);
            NightlySchedule before = current.map(
                            r -> NightlySchedule.parse(store.locationOf(NightlySchedule.FILE), r.content()))
                    .orElse(NightlySchedule.empty());
            NightlySchedule after = change.apply(before);
            if (after.equals(before)) {
                return after;
            }
            if (store.writeIfUnchanged(
                    NightlySchedule.FILE,
                    after.toJson(),
                    current.map(Revision::token).orElse(null))) {
                return after;
            }
            try {
                Thread.sleep(10L * attempt + (long) (Math.random() * 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new VersionLockedException(NightlySchedule.FILE + " in " + store.location() + " changed under each of "
                + ATTEMPTS + " attempts to update it: run the command again");
    }
}
