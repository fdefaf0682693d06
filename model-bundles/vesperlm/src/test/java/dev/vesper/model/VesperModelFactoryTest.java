package dev.vesper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.activation.relu.ReluActivation;
import dev.vesper.activation.silu.SiluActivation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.IntTensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DS side: activation services bound and unbound as the registry would, and ranked. */
class VesperModelFactoryTest {
    private static Map<String, Object> props(String name, long id, int ranking) {
        return Map.of("vesper.activation", name, "service.id", id, "service.ranking", ranking);
    }

    @Test
    void modelsFollowTheBoundServicesAtEachPass() {
        VesperModelFactory f = new VesperModelFactory();
        LanguageModel m = f.create(ModelTest.small(), 3);
        IntTensor x = ModelTest.ids(1, 6, 37, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelTest.logits(m, x));
        assertTrue(e.getMessage().contains("'era'") && e.getMessage().contains("vesper.activation=era"), e.getMessage());

        EraActivation era = new EraActivation();
        f.bindActivation(era, props("era", 10, 0));
        float[] withEra = ModelTest.logits(m, x);

        // the era bundle stops and another bundle offering 'era' starts: the next pass uses it
        f.unbindActivation(era, props("era", 10, 0));
        assertThrows(IllegalStateException.class, () -> ModelTest.logits(m, x));
        SiluActivation other = new SiluActivation();
        f.bindActivation(other, props("era", 11, 0));
        float[] withOther = ModelTest.logits(m, x);
        assertFalse(Arrays.equals(withEra, withOther));

        // a higher-ranked service of the same name wins; unbinding it falls back
        f.bindActivation(era, props("era", 12, 5));
        assertArrayEquals(withEra, ModelTest.logits(m, x));
        f.bindActivation(new ReluActivation(), props("era", 13, 1));
        assertArrayEquals(withEra, ModelTest.logits(m, x));
        f.unbindActivation(era, props("era", 12, 5));
        assertFalse(Arrays.equals(withEra, ModelTest.logits(m, x)));
    }

    @Test
    void aModelOfAFactoryThatWentSaysSoRatherThanAskForTheActivationsBundle() {
        VesperModelFactory f = new VesperModelFactory();
        EraActivation era = new EraActivation();
        f.bindActivation(era, props("era", 10, 0));
        LanguageModel m = f.create(ModelTest.small(), 3);
        IntTensor x = ModelTest.ids(1, 6, 37, 1);
        ModelTest.logits(m, x);
        // SCR calls deactivate, then unbinds the component's activations
        f.deactivate();
        ModelTest.logits(m, x);
        f.unbindActivation(era, props("era", 10, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelTest.logits(m, x));
        assertTrue(e.getMessage().startsWith("this model was made by a VesperLM bundle that has since been stopped"),
                e.getMessage());
    }

    @Test
    void deactivationEndsTheDecodingHelperAndDecodingGoesOn() {
        VesperModelFactory f = new VesperModelFactory(Fixtures.registry()::get);
        ModelConfig c = ModelConfig.fromMap(Map.of("layers", 1, "heads", 2, "d_model", 128, "context", 16, "vocab_size", 50));
        LanguageModel m = f.create(c, 5);
        int[] before = m.generate(new int[] {1, 2}, dev.vesper.api.model.SamplingOptions.greedy(6), null);
        f.deactivate();
        assertTrue(waitGone(), "the helper thread ended");
        assertArrayEquals(before, m.generate(new int[] {1, 2}, dev.vesper.api.model.SamplingOptions.greedy(6), null));
    }

    private static boolean waitGone() {
        for (int i = 0; i < 100; i++) {
            if (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("vesper-decode-helper"))) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Test
    void presetsAndCountsNeedNoEngine() {
        VesperModelFactory f = new VesperModelFactory(name -> null);
        for (String p : f.presets()) {
            assertTrue(f.parameterCount(ModelConfig.preset(p, 4096)) > 0, p);
        }
    }
}
