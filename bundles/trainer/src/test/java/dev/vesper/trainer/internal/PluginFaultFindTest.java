package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vesper.trainer.testplugins.SharedActivation;
import dev.vesper.trainer.testplugins.SharedOptimizer;
import org.junit.jupiter.api.Test;

/** Which plug-in a failure is blamed on, read from stacks made up for each case. */
class PluginFaultFindTest {
    private final Object activation = new SharedActivation();
    private final Object optimizer = new SharedOptimizer();

    private static RuntimeException thrownAt(String... classes) {
        RuntimeException e = new IllegalStateException("broke");
        StackTraceElement[] frames = new StackTraceElement[classes.length];
        for (int i = 0; i < classes.length; i++) {
            frames[i] = new StackTraceElement(classes[i], "run", null, -1);
        }
        e.setStackTrace(frames);
        return e;
    }

    private String blamed(Throwable failure) {
        PluginFault f = PluginFault.find(failure, "act", activation, "opt", optimizer);
        return f == null ? null : f.kind() + " " + f.name();
    }

    @Test
    void thePluginsOwnClassIsBlamed() {
        assertEquals("activation act", blamed(thrownAt(SharedActivation.class.getName(), TrainingStep.class.getName())));
        assertEquals("optimizer opt", blamed(thrownAt(SharedOptimizer.class.getName() + "$1", TrainingStep.class.getName())));
    }

    @Test
    void aSharedLibraryBelowThePluginCountsAsThePlugin() {
        // AdamW's step runs in optim-support's AdamEngine: the plug-in's own frame further down decides
        assertEquals("optimizer opt", blamed(thrownAt("dev.vesper.optim.support.AdamEngine",
                SharedOptimizer.class.getName(), TrainingStep.class.getName())));
    }

    @Test
    void aHelperInAPackageBothShareBlamesTheOptimizerWhoseFaultEndsTheRun() {
        assertEquals("optimizer opt", blamed(thrownAt("dev.vesper.trainer.testplugins.Helper",
                TrainingStep.class.getName())));
    }

    @Test
    void aCauseCarriesThePluginsFrames() {
        RuntimeException wrapper = new RuntimeException("a worker failed", thrownAt(SharedActivation.class.getName()));
        wrapper.setStackTrace(new StackTraceElement[] {new StackTraceElement(TrainingStep.class.getName(), "run", null, -1)});
        assertEquals("activation act", blamed(wrapper));
    }

    @Test
    void theTrainersOwnFailureIsNoPlugins() {
        assertNull(blamed(thrownAt(TrainingStep.class.getName(), TrainingLoop.class.getName())));
    }
}
