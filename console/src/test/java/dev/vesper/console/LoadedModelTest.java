package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.ModelFactory;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loaded model outlives the model factory that made it. */
class LoadedModelTest {
    private static final ModelConfig CONFIG = ModelConfig.preset("tiny", 256);

    /** A factory whose models it lists; they hold no weights (an empty map stands for them). */
    private static final class Factory {
        final List<LanguageModel> made = new ArrayList<>();
        final ModelFactory service = (ModelFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ModelFactory.class}, (p, m, a) -> switch (m.getName()) {
                    case "create" -> {
                        LanguageModel model = model();
                        made.add(model);
                        yield model;
                    }
                    case "hashCode" -> System.identityHashCode(p);
                    case "toString" -> "factory@" + System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });

        LanguageModel model() {
            return (LanguageModel) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {LanguageModel.class}, (p, m, a) -> switch (m.getName()) {
                        case "config" -> CONFIG;
                        case "weights" -> Map.of();
                        case "loadWeights" -> null;
                        case "hashCode" -> System.identityHashCode(p);
                        case "toString" -> "model@" + System.identityHashCode(p);
                        case "equals" -> p == a[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    @Test
    void aModelLoadedBeforeItsFactoryGoesIsMadeAgainByTheNext() {
        LoadedModel loaded = new LoadedModel();
        Factory old = new Factory();
        Factory next = new Factory();
        loaded.bindModels(old.service);
        LanguageModel model = old.model();
        loaded.set(model, null, "job 1");
        loaded.unbindModels(old.service);
        loaded.bindModels(next.service);
        LanguageModel now = loaded.require().model();
        assertEquals(List.of(now), next.made, "made again by the factory there is now");
        assertEquals("job 1", loaded.require().source());
    }

    @Test
    void aModelHandedOverAfterItsFactoryWentIsMadeAgainByTheNext() {
        // a job that a model bundle update stopped hands its model over after this component heard the factory go
        LoadedModel loaded = new LoadedModel();
        Factory old = new Factory();
        Factory next = new Factory();
        loaded.bindModels(old.service);
        loaded.unbindModels(old.service);
        LanguageModel stale = old.model();
        loaded.set(stale, null, "job 2");
        loaded.bindModels(next.service);
        LanguageModel now = loaded.require().model();
        assertNotSame(stale, now, "the gone factory's model is not used");
        assertEquals(List.of(now), next.made);
        assertEquals("job 2", loaded.require().source());
        assertSame(now, loaded.require().model(), "made once");
    }

    @Test
    void aModelHandedOverAsWeightsIsMadeAgainByTheFactoryThereIsThen() {
        // a job whose trainer went hands its model over; the factory that made it goes before or after that
        for (boolean heardFirst : new boolean[] {true, false}) {
            LoadedModel loaded = new LoadedModel();
            Factory old = new Factory();
            Factory next = new Factory();
            loaded.bindModels(old.service);
            LanguageModel stale = old.model();
            if (heardFirst) {
                loaded.unbindModels(old.service);
                loaded.bindModels(next.service);
            }
            loaded.set(stale, null, "job 3", true);
            if (!heardFirst) {
                loaded.unbindModels(old.service);
                loaded.bindModels(next.service);
            }
            LanguageModel now = loaded.require().model();
            assertNotSame(stale, now, "the gone factory's model is not used");
            assertEquals(List.of(now), next.made, "made again by the factory there is now");
            assertEquals("job 3", loaded.require().source());
        }
    }

    @Test
    void aModelHandedOverAsItIsStaysWhileItsFactoryRuns() {
        LoadedModel loaded = new LoadedModel();
        Factory factory = new Factory();
        loaded.bindModels(factory.service);
        LanguageModel model = factory.model();
        loaded.set(model, null, "job 4", false);
        assertSame(model, loaded.require().model());
        assertEquals(List.of(), factory.made, "not made again");
    }

    @Test
    void aJobsModelIsKeptAsWeightsOnlyWhenAFactoryWentWhileItRan() {
        LoadedModel loaded = new LoadedModel();
        Factory old = new Factory();
        Factory next = new Factory();
        loaded.bindModels(old.service);
        long mark = loaded.factoriesGone();
        assertEquals(false, loaded.factoryWentSince(mark), "a run with no update: its model is used as it is");
        loaded.unbindModels(old.service);
        loaded.bindModels(next.service);
        assertEquals(true, loaded.factoryWentSince(mark), "a model bundle update meanwhile: kept as weights");
        assertEquals(false, loaded.factoryWentSince(loaded.factoriesGone()));
    }

    @Test
    void itsSourceIsSaidWithoutMakingTheModelAgain() {
        // a background run that ends after the user loaded another model names that one: a name costs no model,
        // and the model bundle may be away just then (a job stopped by its update)
        LoadedModel loaded = new LoadedModel();
        Factory factory = new Factory();
        loaded.bindModels(factory.service);
        loaded.set(factory.model(), null, "job 5", true);
        assertEquals(java.util.Optional.of("job 5"), loaded.source());
        assertEquals(List.of(), factory.made, "not made again to be named");
        loaded.unbindModels(factory.service);
        assertEquals(java.util.Optional.of("job 5"), loaded.source(), "named while no factory runs");
        assertEquals(java.util.Optional.empty(), new LoadedModel().source());
    }

    @Test
    void aBackgroundRunTakesThePlaceOfTheModelItStartedWithAlsoWhenThatWasMadeAgainMeanwhile() {
        // train --background marks the model loaded as it starts, without making it again (a hand-over is kept as
        // weights: making it costs a whole model); using it meanwhile, or a model bundle update, makes it again,
        // which loads nothing new: the run's end still takes its place
        LoadedModel loaded = new LoadedModel();
        Factory old = new Factory();
        Factory next = new Factory();
        loaded.bindModels(old.service);
        loaded.set(old.model(), null, "job 6", true);
        long before = loaded.loads();
        assertEquals(List.of(), old.made, "marked without being made again");
        loaded.require();
        loaded.unbindModels(old.service);
        loaded.bindModels(next.service);
        loaded.require();
        assertEquals(1, next.made.size());
        LanguageModel job = next.model();
        assertEquals(true, loaded.replace(before, job, null, "job 7", true));
        assertEquals("job 7", loaded.require().source());
    }

    @Test
    void aBackgroundRunLeavesAModelLoadedMeanwhile() {
        LoadedModel loaded = new LoadedModel();
        Factory factory = new Factory();
        loaded.bindModels(factory.service);
        long before = loaded.loads();
        loaded.set(factory.model(), null, "checkpoint", false);
        assertEquals(false, loaded.replace(before, factory.model(), null, "job 8", true));
        assertEquals("checkpoint", loaded.require().source());
    }
}
