package dev.vesper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.modelio.DirectoryCheckpointStore;
import dev.vesper.modelio.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Base and adapter weights save and load separately, through the checkpoint store, and reload exactly. */
class CheckpointRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void adapterModelsReloadExactly() throws IOException {
        for (String kind : new String[] {"masked", "flylora"}) {
            ModelConfig c = ModelTest.small().with("adapter", kind).with("lora_topk", 2).with("lora_rank", 4);
            LanguageModel m = Fixtures.factory().create(c, 1);
            for (Map.Entry<String, Tensor> e : m.weights(true).entrySet()) {
                if (e.getKey().endsWith("lora_b")) {
                    dev.vesper.model.internal.TestAccess.fill(e.getValue(), 0.3, 2);
                }
            }
            ModelTest.trainStep(m, ModelTest.ids(2, 8, 37, 1), ModelTest.ids(2, 8, 37, 2));
            m.afterStep(); // moves FlyLoRA's expert bias, which must survive the reload
            DirectoryCheckpointStore store = new DirectoryCheckpointStore(new SafeTensors());
            Path ckpt = dir.resolve(kind);
            store.save(ckpt, new Checkpoint(m.config(), m.weights(false), m.weights(true), null, null, "{}"));
            assertTrue(Files.isRegularFile(ckpt.resolve("adapter.safetensors")));

            Checkpoint back = store.load(ckpt);
            LanguageModel fresh = Fixtures.factory().create(back.config(), 99);
            fresh.loadWeights(back.model(), false, false, ckpt.toString());
            fresh.loadWeights(back.adapter(), true, false, ckpt.toString());
            IntTensor x = ModelTest.ids(2, 8, 37, 5);
            assertArrayEquals(ModelTest.logits(m, x), ModelTest.logits(fresh, x), kind);
            assertArrayEquals(m.generate(new int[] {1, 2}, SamplingOptions.greedy(8), null),
                    fresh.generate(new int[] {1, 2}, SamplingOptions.greedy(8), null), kind);
            for (String name : back.model().keySet()) {
                assertFalse(name.contains("lora"), "the base file holds no adapter tensor: " + name);
            }
            assertEquals(c, back.config());
        }
    }
}
