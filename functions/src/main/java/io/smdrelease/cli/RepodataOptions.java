package io.smdrelease.cli;

import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --repodata}: the channel index the reports and the release plan read. */
final class RepodataOptions {
    @Option(
            names = "--repodata",
            paramLabel = "PATH|URL",
            split = ",",
            description = "A repodata.json or repodata.json.zst file or URL; repeat it or separate with commas for"
                    + " linux-64 and noarch. Default: conda-forge's linux-64 and noarch repodata.json.zst.")
    List<String> repodata;

    RepodataIndex read() {
        return RepodataReader.read(RepodataSource.of(repodata));
    }
}
