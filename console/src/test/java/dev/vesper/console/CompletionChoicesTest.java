package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.Activation;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompletionChoicesTest {
    private static final VesperCommands.Command TRAIN = VesperCommands.command(TrainingCommands.class, "train", null);
    private static final VesperCommands.Command USE = VesperCommands.command(TrainingCommands.class, "use", null);
    private static final VesperCommands.Command STOP = VesperCommands.command(TrainingCommands.class, "stop", null);
    private static final VesperCommands.Command LOAD = VesperCommands.command(ModelCommands.class, "load", null);
    private static final VesperCommands.Command META = VesperCommands.command(MetaCommands.class, "meta", null);

    private final FakeRegistry registry = new FakeRegistry()
            .add(OptimizerFactory.class, new Object(), "vesper.optimizer", "velvet")
            .add(OptimizerFactory.class, new Object(), "vesper.optimizer", "adamw")
            .add(Activation.class, new Object(), "vesper.activation", "silu")
            .add(TrainingService.class, training("1", "2"));
    private final CompletionChoices choices = new CompletionChoices(registry.context());

    @AfterEach
    void everyServiceGotIsUngot() {
        assertEquals(0, registry.held());
    }

    @Test
    void anOptionsValueComesFromWhatIsInstalled() {
        assertEquals(List.of("adamw", "velvet"), choices.at(TRAIN, List.of("--optimizer")).words());
        assertEquals(List.of("silu"), choices.at(TRAIN, List.of("--steps", "10", "--activation")).words());
        assertEquals(List.of("constant", "cosine"), choices.at(TRAIN, List.of("--schedule")).words());
    }

    @Test
    void aNumberHasNothingToOfferAndAFlagTakesNoValue() {
        assertEquals(CompletionChoices.Choices.NONE, choices.at(TRAIN, List.of("--steps")));
        // after a flag comes the next option or word, not the flag's value
        assertEquals(CompletionChoices.Choices.NONE, choices.at(TRAIN, List.of("--wait")));
    }

    @Test
    void filesAreOfferedWhereAPathFits() {
        assertTrue(choices.at(TRAIN, List.of("--out")).paths());
        assertEquals(List.of("builtin:stories", "hf://datasets/"), choices.at(TRAIN, List.of("--data")).words());
        assertTrue(choices.at(TRAIN, List.of("--data")).paths());
        assertTrue(choices.at(LOAD, List.of()).paths());
        assertFalse(choices.at(LOAD, List.of("runs/a")).paths(), "load takes one folder");
        assertTrue(choices.at(META, List.of("save")).paths());
        assertEquals(CompletionChoices.Choices.NONE, choices.at(META, List.of("assess")));
    }

    @Test
    void positionalWordsSkipOptionsAndTheirValues() {
        assertEquals(List.of("optimizer", "activation"), choices.at(USE, List.of()).words());
        assertEquals(List.of("adamw", "velvet"), choices.at(USE, List.of("--job", "2", "optimizer")).words());
        assertEquals(List.of("silu"), choices.at(USE, List.of("--fresh", "activation")).words());
        assertEquals(CompletionChoices.Choices.NONE, choices.at(USE, List.of("activation", "silu")));
        assertEquals(List.of("activation"), CompletionChoices.positional(USE, List.of("--job", "activation", "activation")));
    }

    @Test
    void jobCommandsOfferTheSessionsJobs() {
        assertEquals(List.of("1", "2"), choices.at(STOP, List.of()).words());
        assertEquals(List.of("1", "2"), choices.at(STOP, List.of("--job")).words());
        assertEquals(CompletionChoices.Choices.NONE, choices.at(STOP, List.of("1")));
    }

    @Test
    void withNothingInstalledThereIsNothingToOffer() {
        CompletionChoices empty = new CompletionChoices(new FakeRegistry().context());
        assertEquals(List.of(), empty.at(TRAIN, List.of("--optimizer")).words());
        assertEquals(List.of(), empty.at(STOP, List.of()).words());
    }

    private static TrainingService training(String... ids) {
        List<TrainingJob> jobs = java.util.Arrays.stream(ids).map(CompletionChoicesTest::job).toList();
        return (TrainingService) Proxy.newProxyInstance(CompletionChoicesTest.class.getClassLoader(),
                new Class<?>[] {TrainingService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("jobs")) {
                        return jobs;
                    }
                    throw new AssertionError("unexpected call: " + method.getName());
                });
    }

    private static TrainingJob job(String id) {
        return (TrainingJob) Proxy.newProxyInstance(CompletionChoicesTest.class.getClassLoader(),
                new Class<?>[] {TrainingJob.class}, (proxy, method, args) -> {
                    if (method.getName().equals("id")) {
                        return id;
                    }
                    throw new AssertionError("unexpected call: " + method.getName());
                });
    }
}
