package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The checks every state machine definition passes: transitions, endings, reachability, placeholders. */
abstract class AslStructureTest {

    abstract AslDefinition definition();

    /** The placeholders the stack substitutes in this definition. */
    abstract List<String> substitutions();

    @Test
    void everyTransition_pointsAtAStateOfTheSameScope() {
        assertEquals(List.of(), definition().brokenTransitions());
        assertEquals(List.of(), definition().badEndings());
    }

    @Test
    void everyState_isReachable() {
        assertEquals(Set.of(), definition().unreachable());
    }

    @Test
    void placeholders_areExactlyTheSubstitutionsTheStackPasses() {
        assertEquals(new TreeSet<>(substitutions()), definition().placeholders());
    }
}
