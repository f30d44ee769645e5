package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code break-lock} on a checkout, where no lock exists (the bucket case is in BucketCommandsIT). */
class BreakLockCommandTest {
    @TempDir
    Path tmp;

    @Test
    void onACheckoutThereIsNoLockToBreak() {
        Trees.copy(Trees.examples(), tmp);
        CliResult run = Trees.runCli("break-lock", "--target-patch-version", "1.2.0", "--root", tmp.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("is a checkout"), run.out());
        assertTrue(run.out().contains("no lock to break"), run.out());
        assertEquals(Trees.snapshot(Trees.examples()), Trees.snapshot(tmp), "nothing changed");
    }

    @Test
    void aBadVersionIsAUserErrorNamingIt() {
        CliResult run = Trees.runCli("break-lock", "--target-patch-version", "../x", "--root", tmp.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("../x"), run.err());
    }
}
