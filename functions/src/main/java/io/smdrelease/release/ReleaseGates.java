package io.smdrelease.release;

import io.smdrelease.gates.Gate;
import io.smdrelease.gates.TestsGate;
import io.smdrelease.gates.VariantGate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The gates every release passes, in order, the same in the pipeline and the CLI. */
public final class ReleaseGates {
    private ReleaseGates() {}

    /**
     * The image tests and the variant gate always; the size gate when the input asks for it ({@code validateSize}).
     *
     * @param sizeGate the size gate, which needs registry and repodata adapters; asked only when it runs
     */
    public static List<Gate> of(ReleaseInput input, Supplier<Gate> sizeGate) {
        List<Gate> gates = new ArrayList<>(List.of(new TestsGate(), new VariantGate()));
        if (input.validateSize()) {
            gates.add(sizeGate.get());
        }
        return gates;
    }
}
