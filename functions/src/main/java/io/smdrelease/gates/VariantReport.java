package io.smdrelease.gates;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smdrelease.error.GateFailedException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the variant gate found in one image's env.out.
 *
 * @param imageType        {@code cpu} or {@code gpu}
 * @param envOutFile       the env.out the gate read, {@code gpu.env.out}
 * @param packages         how many package lines it has
 * @param cudaFrameworks   the frameworks a gpu image must carry as CUDA builds (empty for a cpu image)
 * @param absentFrameworks those of {@code cudaFrameworks} the image does not carry at all (not a failure)
 * @param findings         the offending packages, in file order; empty when the gate passed
 * @param fix              what to do about the findings, or {@code null} when there are none
 */
public record VariantReport(
        String imageType,
        String envOutFile,
        int packages,
        List<String> cudaFrameworks,
        List<String> absentFrameworks,
        List<Finding> findings,
        String fix) {

    public VariantReport {
        cudaFrameworks = List.copyOf(cudaFrameworks);
        absentFrameworks = List.copyOf(absentFrameworks);
        findings = List.copyOf(findings);
    }

    /**
     * One package of the wrong variant.
     *
     * @param reason why it is wrong, e.g. {@code not a CUDA build, and the gpu image's cudaFrameworks lists it}
     */
    public record Finding(String name, String version, String build, String reason) {
        /** {@code tensorflow 2.19.1 (build cpu_py312h69ecde4_52: not a CUDA build, …)}. */
        public String describe() {
            return name + " " + version + " (build " + build + ": " + reason + ")";
        }
    }

    @JsonProperty
    public boolean passed() {
        return findings.isEmpty();
    }

    /** One line for a log or a CLI: {@code variant gate passed for gpu (gpu.env.out): …}. */
    @JsonProperty
    public String summary() {
        return "variant gate " + (passed() ? "passed" : "failed") + " for " + imageType + " (" + envOutFile + "): "
                + verdict();
    }

    /** The summary without the gate and image type, for a {@link io.smdrelease.gates.GateResult}. */
    String verdict() {
        if (!passed()) {
            String list = findings.stream().map(Finding::describe).collect(Collectors.joining("; "));
            return findings.size() + " of " + packages + " packages " + (findings.size() == 1 ? "is" : "are")
                    + " the wrong variant: " + list;
        }
        if (cudaFrameworks.isEmpty()) {
            return "none of " + packages + " packages is a CUDA build";
        }
        int present = cudaFrameworks.size() - absentFrameworks.size();
        return "the " + present + " of " + cudaFrameworks.size() + " cudaFrameworks it carries are CUDA builds"
                + (absentFrameworks.isEmpty()
                        ? ""
                        : " (not in the image: " + String.join(", ", absentFrameworks) + ")");
    }

    /**
     * Fails when the gate did not pass.
     *
     * @throws GateFailedException naming each offending package, its build and the fix
     */
    public void validate() {
        if (!passed()) {
            throw new GateFailedException(
                    summary() + ". Fix: " + fix, List.of(VariantGate.NAME + " [" + imageType + "]"));
        }
    }
}
