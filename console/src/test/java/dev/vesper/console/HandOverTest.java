package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** What a background job's end does to the model generate and chat use. */
class HandOverTest {
    private final LoadedModel loaded = new LoadedModel();
    {
        loaded.bindModels(stand(dev.vesper.api.model.ModelFactory.class, "factory"));   // running: models are kept as they are
    }
    private final TrainingCommands commands = new TrainingCommands(new FakeRegistry().context(), null, loaded);

    private static <T> T stand(Class<T> type, String name) {
        return type.cast(Proxy.newProxyInstance(HandOverTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new AssertionError(name + "." + method.getName() + " is not consulted");
                }));
    }

    private static TrainingJob job(String id, LanguageModel model, Tokenizer tokenizer) {
        return (TrainingJob) Proxy.newProxyInstance(HandOverTest.class.getClassLoader(), new Class<?>[] {TrainingJob.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "model" -> model;
                    case "tokenizer" -> tokenizer;
                    default -> throw new AssertionError("TrainingJob." + method.getName() + " is not consulted");
                });
    }

    private static JobStatus end(String id, long step) {
        return new JobStatus(id, JobState.STOPPED, step, 300, 0, 1.5, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                0, Double.NaN, 2.5, -1, "velvet", "era", "stopped at step " + step);
    }

    @Test
    void aJobStoppedBeforeItsFirstStepLeavesTheTrainedModelLoaded() {
        LanguageModel trained = stand(LanguageModel.class, "trained");
        Tokenizer tokenizer = stand(Tokenizer.class, "tokenizer");
        long before = loaded.loads();
        assertEquals("; generate and chat now use its model",
                commands.handOver(job("1", trained, tokenizer), end("1", 300), before, loaded.factoriesGone()));
        assertEquals("job 1", loaded.source().orElseThrow());

        LanguageModel untrained = stand(LanguageModel.class, "untrained");
        assertEquals("; it took no step, so generate and chat keep the model they had",
                commands.handOver(job("2", untrained, tokenizer), end("2", 0), loaded.loads(), loaded.factoriesGone()));
        assertEquals("job 1", loaded.source().orElseThrow(), "an untrained model took the trained one's place");
    }
}
