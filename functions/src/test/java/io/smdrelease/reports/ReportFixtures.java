package io.smdrelease.reports;

import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import io.smdrelease.store.LocalDirStore;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The repodata fixtures: a small channel and a distribution with 1.0.0, 1.0.1 (patch), 1.1.0 (minor), 2.0.0. */
final class ReportFixtures {
    private ReportFixtures() {}

    static RepodataIndex channel() {
        return RepodataReader.read(List.of(
                new RepodataSource(TestTrees.resource("repodata/channel/linux-64/repodata.json")
                        .toString()),
                new RepodataSource(TestTrees.resource("repodata/channel/noarch/repodata.json")
                        .toString())));
    }

    static ReleaseImages release(String target, boolean requireBase) {
        return ReleaseImages.load(
                new LocalDirStore(TestTrees.resource("repodata/repo")), ImageConfigs.builtIn(), target, requireBase);
    }

    /** Image sizes from a map, as a staging repository would answer. */
    static ImageSizes sizes(Map<String, Long> byTag) {
        return new ImageSizes() {
            @Override
            public OptionalLong sizeOf(String tag) {
                Long size = byTag.get(tag);
                return size == null ? OptionalLong.empty() : OptionalLong.of(size);
            }

            @Override
            public String describe() {
                return "test repository";
            }
        };
    }
}
