package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobRegistryTest {
    @Test
    void unnumberedIdsGoOnOverTheTrainersOfOneRegistryAndLeaveTheNumbersAlone() {
        // each trainer DS makes (one per restart) takes its ids from the registry that outlives it: a warm-up
        // that an interrupted benchmark left listed keeps an id no later warm-up takes
        JobRegistry registry = new JobRegistry();
        assertEquals("bench-warm-up-1", registry.nextUnnumbered("bench-warm-up"));
        assertEquals("bench-warm-up-2", registry.nextUnnumbered("bench-warm-up"));
        assertEquals(1, registry.nextNumber());
        assertEquals("bench-warm-up-3", registry.nextUnnumbered("bench-warm-up"));
        assertEquals(2, registry.nextNumber());
    }
}
