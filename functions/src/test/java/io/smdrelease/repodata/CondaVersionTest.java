package io.smdrelease.repodata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ordering examples of conda's VersionOrder docstring and tests (conda/models/version.py). */
class CondaVersionTest {
    /** conda's documented order; each inner list holds versions that compare equal. */
    private static final List<List<String>> DOCUMENTED_ORDER = List.of(
            List.of("0.4", "0.4.0"),
            List.of("0.4.1.rc", "0.4.1.RC"),
            List.of("0.4.1"),
            List.of("0.5a1"),
            List.of("0.5b3"),
            List.of("0.5C1"),
            List.of("0.5"),
            List.of("0.9.6"),
            List.of("0.960923"),
            List.of("1.0"),
            List.of("1.1dev1"),
            List.of("1.1_"),
            List.of("1.1a1"),
            List.of("1.1.0dev1", "1.1.dev1"),
            List.of("1.1.a1"),
            List.of("1.1.0rc1"),
            List.of("1.1.0", "1.1"),
            List.of("1.1.0post1", "1.1.post1"),
            List.of("1.1post1"),
            List.of("1996.07.12"),
            List.of("1!0.4.1"),
            List.of("1!3.1.1.6"),
            List.of("2!0.4.1"));

    private static int cmp(String a, String b) {
        return Integer.signum(CondaVersion.parse(a).compareTo(CondaVersion.parse(b)));
    }

    @Test
    void documentedOrder_everyPairComparesAsListed() {
        for (int i = 0; i < DOCUMENTED_ORDER.size(); i++) {
            for (int j = 0; j < DOCUMENTED_ORDER.size(); j++) {
                for (String a : DOCUMENTED_ORDER.get(i)) {
                    for (String b : DOCUMENTED_ORDER.get(j)) {
                        assertEquals(Integer.compare(i, j), cmp(a, b), a + " vs " + b);
                    }
                }
            }
        }
    }

    @Test
    void documentedOrder_sortingAShuffleRestoresIt() {
        List<String> flat = new ArrayList<>();
        DOCUMENTED_ORDER.forEach(group -> flat.add(group.get(0)));
        List<String> shuffled = new ArrayList<>(flat);
        Collections.shuffle(shuffled, new Random(42));
        shuffled.sort((a, b) -> cmp(a, b));
        assertEquals(flat, shuffled);
    }

    @Test
    void equalVersions_haveEqualHashCodes() {
        for (List<String> group : DOCUMENTED_ORDER) {
            for (String v : group) {
                assertEquals(CondaVersion.parse(group.get(0)), CondaVersion.parse(v));
                assertEquals(
                        CondaVersion.parse(group.get(0)).hashCode(),
                        CondaVersion.parse(v).hashCode(),
                        v);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        // openssl convention from the docstring
        "1.0.1, 1.0.1a, 1",
        "1.0.1_, 1.0.1a, -1",
        // dev and post around releases and pre-releases
        "1.0dev, 1.0a1, -1",
        "1.0rc1, 1.0, -1",
        "1.0, 1.0post1, -1",
        "1.0.post1, 1.0.1, -1",
        // local versions decide only between equal versions
        "1.0+1, 1.0+2, -1",
        "1.0, 1.0+1, -1",
        "1.0+abc.8, 1.1, -1",
        "1.0+a_b, 1.0+a.b, 0",
        // '-' becomes '_' when there is no '_'
        "1.2-3, 1.2.3, 0",
        "1.2-3, 1.2_3, 0",
        // case-insensitive
        "1.0RC1, 1.0rc1, 0",
        // numbers compare numerically, not as strings
        "1.9, 1.10, -1",
        "2024.07.02, 2024.7.2, 0",
        // epoch beats everything
        "1!0.1, 2025.1, 1",
        "0!1.0, 1.0, 0",
        // '*' sorts before dev
        "1.0*, 1.0dev, -1",
    })
    void pairs(String a, String b, int expected) {
        assertEquals(expected, cmp(a, b), a + " vs " + b);
        assertEquals(-expected, cmp(b, a), b + " vs " + a);
    }

    @Test
    void docstringExample_componentsParse() {
        // 1.2g.beta15.rc => [[0], [1], [2, 'g'], [0, 'beta', 15], [0, 'rc']]
        assertEquals(0, cmp("1.2g.beta15.rc", "0!1.2g.0beta15.0rc"));
        assertTrue(cmp("1.2g.beta15.rc", "1.2g.beta15") < 0, "a trailing string component sorts before nothing");
        assertTrue(cmp("1!2.15.1_ALPHA", "1!2.15.1") < 0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "  ", "1.2 3", "1..2", "1.2.", "1!2!3", "a!1.0", "1.0+1+2", "+1.0", "1.2-3_4", "1.2#", "1.2@"
            })
    void invalidVersions_areRejectedWithTheReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CondaVersion.parse(text));
        assertTrue(e.getMessage().contains("is not a conda version"), e.getMessage());
    }

    @Test
    void startsWith_matchesWholeSubcomponents() {
        CondaVersion prefix = CondaVersion.parse("1.2");
        assertTrue(CondaVersion.parse("1.2").startsWith(prefix));
        assertTrue(CondaVersion.parse("1.2.0").startsWith(prefix));
        assertTrue(CondaVersion.parse("1.2.7").startsWith(prefix));
        assertTrue(CondaVersion.parse("1.2rc1").startsWith(prefix));
        assertFalse(CondaVersion.parse("1.20").startsWith(prefix));
        assertFalse(CondaVersion.parse("1.3").startsWith(prefix));
        assertFalse(CondaVersion.parse("1").startsWith(prefix));
        assertTrue(CondaVersion.parse("1.1a1").startsWith(CondaVersion.parse("1.1a")));
    }
}
