package io.smdrelease.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.VersionExistsException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ArtifactStore} shares, run against each implementation (a subclass per store), so the
 * core behaves the same on a checkout and on a bucket.
 */
public abstract class ArtifactStoreContract {
    static final String V = "build_artifacts/v4/v4.4/v4.4.1";
    static final Set<String> KEEP = Set.of("cpu.additional_packages_env.in", "gpu.additional_packages_env.in");

    /** A new, empty store. */
    protected abstract ArtifactStore newStore();

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Regular files of the given contents. */
    static Map<String, ArtifactFile> regular(Map<String, byte[]> contents) {
        return ArtifactFile.regularFiles(contents);
    }

    static String text(ArtifactStore store, String path) {
        return new String(
                store.read(path).orElseThrow(() -> new AssertionError("missing " + path)), StandardCharsets.UTF_8);
    }

    @Test
    void readsWritesAndLists() {
        ArtifactStore store = newStore();
        assertEquals(Optional.empty(), store.read("template/v4/Dockerfile"));
        assertFalse(store.exists("template/v4/Dockerfile"));
        assertFalse(store.isDirectory("template"));
        assertEquals(List.of(), store.listFiles("template"));
        assertEquals(List.of(), store.children("template"));

        store.write("template/v4/Dockerfile", utf8("FROM a"));
        store.write("template/v4/dirs/etc/jupyter/config.py", utf8("c = 1"));
        store.write("template/v5/Dockerfile", utf8("FROM b"));
        store.write("template/v4/Dockerfile", utf8("FROM a2")); // overwrite

        assertEquals("FROM a2", text(store, "template/v4/Dockerfile"));
        assertTrue(store.exists("template/v4/Dockerfile"));
        assertFalse(store.exists("template/v4"));
        assertTrue(store.isDirectory("template/v4/dirs"));
        assertFalse(store.isDirectory("template/v4/Dockerfile"));
        assertEquals(
                List.of("template/v4/Dockerfile", "template/v4/dirs/etc/jupyter/config.py"),
                store.listFiles("template/v4"));
        assertEquals(List.of("v4", "v5"), store.children("template"));
        assertEquals(List.of("Dockerfile", "dirs"), store.children("template/v4"));
        assertEquals(List.of("template"), store.children(""));

        Map<String, byte[]> all = store.readAll(List.of("template/v5/Dockerfile", "missing", "template/v4/Dockerfile"));
        assertEquals(List.of("template/v5/Dockerfile", "template/v4/Dockerfile"), List.copyOf(all.keySet()));
        assertArrayEquals(utf8("FROM b"), all.get("template/v5/Dockerfile"));
        assertThrows(IllegalArgumentException.class, () -> store.write("../escape", utf8("x")));
    }

    @Test
    void publishesAVersionOnceAndReplacesItOnlyWhenAsked() {
        ArtifactStore store = newStore();
        assertFalse(store.isComplete(V));
        store.write("template/v4.4/existing.txt", utf8("existing"));
        store.publish(new VersionPublication(
                V,
                regular(Map.of(
                        V + "/Dockerfile", utf8("FROM one"),
                        V + "/cpu.env.in", utf8("numpy"),
                        V + "/cpu.additional_packages_env.in", utf8("user extras"),
                        V + "/dirs/etc/x.conf", utf8("x=1"))),
                regular(Map.of(
                        "template/v4.4/existing.txt", utf8("replacement"), "template/v4.4/new.txt", utf8("new"))),
                false,
                KEEP,
                "4.4.0"));
        assertTrue(store.isComplete(V));
        assertEquals(
                List.of(
                        V + "/Dockerfile",
                        V + "/cpu.additional_packages_env.in",
                        V + "/cpu.env.in",
                        V + "/dirs/etc/x.conf"),
                store.listFiles(V));
        assertEquals(List.of("Dockerfile", "cpu.additional_packages_env.in", "cpu.env.in", "dirs"), store.children(V));
        assertEquals("existing", text(store, "template/v4.4/existing.txt"), "side files are never overwritten");
        assertEquals("new", text(store, "template/v4.4/new.txt"));

        VersionExistsException e = assertThrows(
                VersionExistsException.class,
                () -> store.publish(new VersionPublication(
                        V,
                        regular(Map.of(V + "/Dockerfile", utf8("FROM two"))),
                        regular(Map.of()),
                        false,
                        KEEP,
                        "4.4.0")));
        assertTrue(e.getMessage().contains(V), e.getMessage());
        assertEquals("FROM one", text(store, V + "/Dockerfile"));

        store.publish(new VersionPublication(
                V,
                regular(Map.of(
                        V + "/Dockerfile", utf8("FROM two"),
                        V + "/gpu.env.in", utf8("torch"))),
                regular(Map.of()),
                true,
                KEEP,
                "4.4.0"));
        assertTrue(store.isComplete(V));
        assertEquals(
                List.of(V + "/Dockerfile", V + "/cpu.additional_packages_env.in", V + "/gpu.env.in"),
                store.listFiles(V));
        assertEquals("FROM two", text(store, V + "/Dockerfile"));
        assertEquals("user extras", text(store, V + "/cpu.additional_packages_env.in"));
    }

    @Test
    void keepsModesAndEmptyDirectories() {
        ArtifactStore store = newStore();
        String bin = "template/v4/v4.4/dirs/usr/local/bin/start-jupyter-server";
        store.write(bin, ArtifactFile.executable(utf8("#!/bin/bash\n")));
        store.write("template/v4/v4.4/dirs/etc/conf", utf8("x=1"));
        store.createDirectory("template/v4/v4.4/dirs/var/empty");
        store.createDirectory("template/v4/v4.4/dirs/etc"); // holds a file: not empty
        assertEquals(
                ArtifactFile.executable(utf8("#!/bin/bash\n")),
                store.readFile(bin).orElseThrow());
        assertFalse(
                store.readFile("template/v4/v4.4/dirs/etc/conf").orElseThrow().executable());
        assertEquals(List.of("template/v4/v4.4/dirs/var/empty"), store.emptyDirectories("template"));
        assertEquals(
                List.of("template/v4/v4.4/dirs/var/empty"), store.emptyDirectories("template/v4/v4.4/dirs/var/empty"));
        assertTrue(store.isDirectory("template/v4/v4.4/dirs/var/empty"));
        assertEquals(List.of("etc", "usr", "var"), store.children("template/v4/v4.4/dirs"));
        assertEquals(List.of("empty"), store.children("template/v4/v4.4/dirs/var"));
        assertEquals(2, store.listFiles("template").size(), "a directory is no file");

        store.publish(new VersionPublication(
                V,
                Map.of(
                        V + "/dirs/usr/local/bin/start-jupyter-server", ArtifactFile.executable(utf8("#!/bin/bash\n")),
                        V + "/Dockerfile", ArtifactFile.regular(utf8("FROM one"))),
                Map.of("template/v4/v4.5/run.sh", ArtifactFile.executable(utf8("#!/bin/sh\n"))),
                Set.of(V + "/dirs/var/empty", V + "/dirs/opt", "template/v4/v4.5/dirs/tmp"),
                false,
                KEEP,
                "4.4.0",
                PublicationOwner.thisProcess()));
        Map<String, ArtifactFile> files = store.readFiles(store.listFiles(V));
        assertTrue(files.get(V + "/dirs/usr/local/bin/start-jupyter-server").executable());
        assertFalse(files.get(V + "/Dockerfile").executable());
        assertTrue(store.readFile("template/v4/v4.5/run.sh").orElseThrow().executable(), "a side file's mode");
        assertEquals(List.of(V + "/dirs/opt", V + "/dirs/var/empty"), store.emptyDirectories(V));
        assertEquals(List.of("template/v4/v4.5/dirs/tmp"), store.emptyDirectories("template/v4/v4.5"));

        store.publish(new VersionPublication(
                V,
                Map.of(V + "/dirs/opt/tool", ArtifactFile.regular(utf8("now a file"))),
                Map.of(),
                true,
                KEEP,
                "4.4.0"));
        assertEquals(List.of(), store.emptyDirectories(V), "a replacement drops the old empty directories");
        assertEquals(List.of(V + "/dirs/opt/tool"), store.listFiles(V));
    }

    @Test
    void aKeptFileWinsOverAGeneratedOneOfTheSameName() {
        ArtifactStore store = newStore();
        store.publish(new VersionPublication(
                V,
                regular(Map.of(
                        V + "/Dockerfile",
                        utf8("FROM one"),
                        V + "/cpu.additional_packages_env.in",
                        utf8("user extras"))),
                regular(Map.of()),
                false,
                KEEP,
                "4.4.0"));
        store.publish(new VersionPublication(
                V,
                regular(Map.of(
                        V + "/Dockerfile",
                        utf8("FROM two"),
                        V + "/cpu.additional_packages_env.in",
                        utf8("copied from the base"))),
                regular(Map.of()),
                true,
                KEEP,
                "4.4.0"));
        assertEquals("user extras", text(store, V + "/cpu.additional_packages_env.in"));
        assertEquals("FROM two", text(store, V + "/Dockerfile"));
    }
}
