package io.smdrelease.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate switches of the execution input: cveGate and allowRegressions. */
class ReleaseInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATCH = "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"";

    private static ReleaseInput parse(String extra) throws Exception {
        return ReleaseInput.parse(JSON.readTree(PATCH + extra + "}"));
    }

    private static String error(String extra) {
        return assertThrows(InvalidInputException.class, () -> parse(extra)).getMessage();
    }

    @Test
    void cveGateAndAllowRegressions_areReadAndDefaultToOffAndNone() throws Exception {
        ReleaseInput plain = parse("");
        assertFalse(plain.cveGate());
        assertEquals(List.of(), plain.allowRegressions());

        ReleaseInput input = parse(",\"cveGate\":true,\"allowRegressions\":[\"pcre2\",\"libclang-cpp21.1\"]");
        assertTrue(input.cveGate());
        assertEquals(List.of("pcre2", "libclang-cpp21.1"), input.allowRegressions());
    }

    @Test
    void badValues_areRefused_namingTheField() {
        assertEquals("cveGate must be true or false, not \"yes\"", error(",\"cveGate\":\"yes\""));
        assertEquals(
                "allowRegressions must be a list of strings, not \"pcre2\"", error(",\"allowRegressions\":\"pcre2\""));
        assertTrue(error(",\"allowRegressions\":[\"pcre2 10.44\"]")
                .startsWith("allowRegressions entry 'pcre2 10.44' is not a conda package name"));
        assertEquals(
                "allowRegressions lists a package twice: [pcre2, pcre2]",
                error(",\"allowRegressions\":[\"pcre2\",\"pcre2\"]"));
        assertTrue(error(",\"allowRegression\":[\"pcre2\"]").startsWith("unknown input field(s) [allowRegression]"));
    }

    /** A plan written before these fields existed (an execution in flight during a deployment) still reads. */
    @Test
    void aPlanInputWithoutTheNewFields_readsAsOffAndNone() throws Exception {
        ReleaseInput old = Json.MAPPER.readValue(
                "{\"releaseType\":\"PATCH\",\"basePatchVersion\":\"latest\",\"targetEcrRepos\":[]}",
                ReleaseInput.class);
        assertFalse(old.cveGate());
        assertEquals(List.of(), old.allowRegressions());
        ReleaseInput again =
                Json.MAPPER.readValue(Json.write(parse(",\"allowRegressions\":[\"pcre2\"]")), ReleaseInput.class);
        assertEquals(List.of("pcre2"), again.allowRegressions());
    }
}
