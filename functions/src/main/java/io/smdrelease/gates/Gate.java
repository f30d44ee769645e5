package io.smdrelease.gates;

import java.util.List;

/**
 * One check a release must pass before its candidates are promoted. A gate answers for every image type it judges;
 * one that cannot run throws, and the release fails: a gate that did not run never counts as passed.
 */
public interface Gate {

    /** The gate's name in results and messages: {@code tests}, {@code size}, {@code variant}. */
    String name();

    List<GateResult> evaluate(GateContext context);
}
