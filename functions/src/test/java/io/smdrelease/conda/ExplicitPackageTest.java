package io.smdrelease.conda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.testsupport.Locks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplicitPackageTest {
    @Test
    void parsesEveryPartOfAnEnvOutLine() {
        ExplicitPackage p = ExplicitPackage.parse("https://conda.anaconda.org/conda-forge/linux-64/"
                + "pytorch-2.8.0-cuda129_mkl_py312_had1c889_302.conda#ec360db89efeedc51c34c7b3473b55af");
        assertEquals(
                new ExplicitPackage(
                        "https://conda.anaconda.org/conda-forge/linux-64/pytorch-2.8.0-cuda129_mkl_py312_had1c889_302"
                                + ".conda",
                        "conda-forge",
                        "linux-64",
                        "pytorch",
                        "2.8.0",
                        "cuda129_mkl_py312_had1c889_302",
                        "conda",
                        "ec360db89efeedc51c34c7b3473b55af",
                        null),
                p);
    }

    @Test
    void tarBz2_noarch_sha256Fragment_andOtherChannels() {
        ExplicitPackage mutex = ExplicitPackage.parse("https://conda.anaconda.org/conda-forge/noarch/"
                + "_py-xgboost-mutex-2.0-gpu_0.tar.bz2#7702188077361f43a4d61e64c694f850");
        assertEquals("_py-xgboost-mutex", mutex.name());
        assertEquals("noarch", mutex.subdir());
        assertEquals("tar.bz2", mutex.packageType());

        ExplicitPackage main =
                ExplicitPackage.parse("https://repo.anaconda.com/pkgs/main/linux-64/zlib-1.2.13-h5eee18b_1"
                        + ".conda#sha256:" + "AB".repeat(32));
        assertEquals("pkgs/main", main.channel());
        assertEquals("ab".repeat(32), main.sha256());
        assertNull(main.md5());

        ExplicitPackage noHash =
                ExplicitPackage.parse("https://example.com/chan/linux-64/zlib-1.2.13-h5eee18b_1.conda");
        assertEquals("https://example.com/chan", noHash.channel());
        assertNull(noHash.md5());
    }

    @Test
    void theRealGpuLock_everyLineIsAPackage() {
        String lock = Locks.read("gpu");
        List<ExplicitPackage> packages = ExplicitPackage.parseAll("gpu.env.out", lock.getBytes(StandardCharsets.UTF_8));
        long urlLines = lock.lines().filter(l -> l.startsWith("https://")).count();
        assertEquals(urlLines, packages.size());
        assertTrue(packages.stream().allMatch(p -> p.md5() != null && p.build() != null && p.version() != null));
    }

    @Test
    void badLines_nameTheFileAndLine() {
        InvalidInputException notUrl = assertThrows(
                InvalidInputException.class,
                () -> ExplicitPackage.parseAll(
                        "gpu.env.out", "# c\n@EXPLICIT\nnumpy\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notUrl.getMessage().startsWith("gpu.env.out line 3: 'numpy' is not an explicit package URL"));

        InvalidInputException badHash = assertThrows(
                InvalidInputException.class,
                () -> ExplicitPackage.parseAll(
                        "x",
                        "https://conda.anaconda.org/conda-forge/linux-64/a-1-h_0.conda#xyz"
                                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(badHash.getMessage().contains("neither an MD5"), badHash.getMessage());

        assertThrows(
                InvalidInputException.class,
                () -> ExplicitPackage.parseAll(
                        "x",
                        "https://conda.anaconda.org/conda-forge/linux-64/a-1-h_0.whl"
                                .getBytes(StandardCharsets.UTF_8)));
    }
}
