package dev.vesper.modelio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.TensorFile;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryCheckpointStoreTest {
    private static final String TOKENIZER = "{\"model\":{\"type\":\"BPE\"}}";
    private final SafeTensors format = new SafeTensors();
    private final DirectoryCheckpointStore store = new DirectoryCheckpointStore(format);

    @TempDir
    Path root;

    private static ModelConfig small(String adapter) {
        ModelConfig c = ModelConfig.fromMap(Map.of("layers", 1, "heads", 2, "d_model", 8, "vocab_size", 11));
        return adapter == null ? c : c.with("adapter", adapter).with("lora_topk", 1).with("lora_rank", 2);
    }

    private static Map<String, Tensor> random(Map<String, int[]> layout, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        layout.forEach((k, shape) -> {
            Tensor t = Tensor.zeros(shape);
            for (int i = 0; i < t.size(); i++) {
                t.set(i, (float) r.nextGaussian());
            }
            m.put(k, t);
        });
        return m;
    }

    private static Checkpoint full(ModelConfig c) {
        Map<String, Tensor> model = random(SpecLayout.base(c), 1);
        Map<String, Tensor> adapter = random(SpecLayout.adapter(c), 2);
        Map<String, float[]> moments = new LinkedHashMap<>();
        moments.put("layers.0.ffn.w1.weight.exp_avg", model.get("layers.0.ffn.w1.weight").toArray());
        moments.put("norm.bias.exp_avg_sq", model.get("norm.bias").toArray());
        OptimizerState o = new OptimizerState("velvet", 42, moments, Map.of("ema_loss", "3.5"));
        return new Checkpoint(c, model, adapter, o, "{\"step\":42}", TOKENIZER);
    }

    @Test
    void roundTripsEveryPart() throws IOException {
        ModelConfig c = small("masked");
        Checkpoint saved = full(c);
        Path dir = root.resolve("ckpt");
        store.save(dir, saved);
        assertEquals(List.of("adapter.safetensors", "model.safetensors", "optimizer.safetensors", "tokenizer.json", "trainer.json"),
                names(dir));
        Checkpoint back = store.load(dir);
        assertEquals(c, back.config());
        for (String k : saved.model().keySet()) {
            assertArrayEquals(saved.model().get(k).toArray(), back.model().get(k).toArray(), k);
        }
        for (String k : saved.adapter().keySet()) {
            assertArrayEquals(saved.adapter().get(k).toArray(), back.adapter().get(k).toArray(), k);
        }
        assertEquals("velvet", back.optimizer().optimizer());
        assertEquals(42, back.optimizer().step());
        assertEquals(Map.of("ema_loss", "3.5"), back.optimizer().metadata());
        assertArrayEquals(saved.optimizer().tensors().get("norm.bias.exp_avg_sq"), back.optimizer().tensors().get("norm.bias.exp_avg_sq"));
        assertArrayEquals(new int[] {32, 8}, format.read(dir.resolve("optimizer.safetensors"))
                .tensor("layers.0.ffn.w1.weight.exp_avg").shape(), "moments keep their parameter's shape");
        assertEquals("{\"step\":42}", back.trainerJson());
        assertEquals(TOKENIZER, back.tokenizerJson());
        assertEquals(List.of("ckpt"), names(root), "no temporary directory is left");
    }

    @Test
    void theModelAloneLoadsWhenTheOptimizerAndTrainerFilesAreDamaged() throws IOException {
        ModelConfig c = small("masked");
        Checkpoint saved = full(c);
        Path dir = root.resolve("ckpt");
        store.save(dir, saved);
        Files.write(dir.resolve("optimizer.safetensors"), java.util.Arrays.copyOf(
                Files.readAllBytes(dir.resolve("optimizer.safetensors")), 100));
        Files.writeString(dir.resolve("trainer.json"), "{\"step\": 4");
        assertLoadFails(dir, "optimizer.safetensors", "past the end");

        Checkpoint model = store.loadModel(dir);
        assertEquals(c, model.config());
        for (String k : saved.model().keySet()) {
            assertArrayEquals(saved.model().get(k).toArray(), model.model().get(k).toArray(), k);
        }
        for (String k : saved.adapter().keySet()) {
            assertArrayEquals(saved.adapter().get(k).toArray(), model.adapter().get(k).toArray(), k);
        }
        assertEquals(TOKENIZER, model.tokenizerJson());
        assertEquals(null, model.optimizer());
        assertEquals(null, model.trainerJson());
    }

    /** An optimizer may export its name and step in its metadata too (the Adam family does): they must agree. */
    @Test
    void optimizerMetadataMayRepeatNameAndStepButNotContradictThem() throws IOException {
        ModelConfig c = small(null);
        Map<String, Tensor> model = random(SpecLayout.base(c), 5);
        Map<String, float[]> moments = Map.of("norm.bias.exp_avg", model.get("norm.bias").toArray());
        Path dir = root.resolve("agrees");
        store.save(dir, new Checkpoint(c, model, null, new OptimizerState("lion", 7, moments,
                Map.of(DirectoryCheckpointStore.OPTIMIZER_KEY, "lion", DirectoryCheckpointStore.STEP_KEY, "7", "beta", "0.9")),
                null, TOKENIZER));
        OptimizerState back = store.load(dir).optimizer();
        assertEquals("lion", back.optimizer());
        assertEquals(7, back.step());
        assertEquals(Map.of("beta", "0.9"), back.metadata());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(root.resolve("contradicts"),
                new Checkpoint(c, model, null, new OptimizerState("lion", 7, moments,
                        Map.of(DirectoryCheckpointStore.OPTIMIZER_KEY, "adamw")), null, TOKENIZER)));
        assertTrue(e.getMessage().startsWith("optimizer.safetensors: metadata 'vesper.optimizer' is 'adamw', but the state's"
                + " is 'lion'"), e.getMessage());
        assertEquals(List.of("agrees"), names(root));
    }

    @Test
    void aPlaceThatCannotBeWrittenIsSaidInWords() throws IOException {
        ModelConfig c = small(null);
        Path file = Files.writeString(root.resolve("file"), "x");
        Checkpoint ck = new Checkpoint(c, random(SpecLayout.base(c), 3), null, null, null, TOKENIZER);
        IOException under = assertThrows(IOException.class, () -> store.save(file.resolve("ck"), ck));
        assertTrue(under.getMessage().startsWith(file.resolve("ck") + ": cannot create its folder ("), under.getMessage());
        IOException inside = assertThrows(IOException.class, () -> store.save(file.resolve("a/ck"), ck));
        for (IOException e : List.of(under, inside)) {
            assertTrue(e.getMessage().endsWith("; nothing was written"), e.getMessage());
            assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains(".tmp-"), e.getMessage());
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void modelAndTokenizerAloneAreAValidCheckpoint() throws IOException {
        ModelConfig c = small(null);
        Path dir = root.resolve("infer");
        store.save(dir, new Checkpoint(c, random(SpecLayout.base(c), 3), null, null, null, TOKENIZER));
        assertEquals(List.of("model.safetensors", "tokenizer.json"), names(dir));
        Checkpoint back = store.load(dir);
        assertNull(back.optimizer());
        assertNull(back.trainerJson());
        assertTrue(back.adapter().isEmpty());
    }

    @Test
    void weightsThatAreNotFiniteAreRefusedNamingTensorAndElement() throws IOException {
        ModelConfig c = small(null);
        Map<String, Tensor> model = random(SpecLayout.base(c), 3);
        model.get("norm.bias").set(3, Float.NaN);
        Path dir = root.resolve("nan");
        store.save(dir, new Checkpoint(c, model, null, null, null, TOKENIZER));
        IOException e = assertThrows(IOException.class, () -> store.load(dir));
        assertEquals(dir.resolve("model.safetensors") + ": tensor 'norm.bias' holds NaN at element 3;"
                + " weights must be finite numbers", e.getMessage());
    }

    @Test
    void refusedSaveKeepsTheExistingCheckpoint() throws IOException {
        ModelConfig c = small(null);
        Path dir = root.resolve("keep");
        store.save(dir, new Checkpoint(c, random(SpecLayout.base(c), 3), null, null, null, TOKENIZER));
        byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
        Map<String, Tensor> wrong = random(SpecLayout.base(c), 4);
        wrong.put("norm.bias", Tensor.zeros(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.save(dir, new Checkpoint(c, wrong, null, null, null, TOKENIZER)));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("'norm.bias'"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertThrows(IllegalArgumentException.class,
                () -> store.save(dir, new Checkpoint(c, random(SpecLayout.base(c), 4), null, null, null, "{not json")));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertEquals(List.of("keep"), names(root));
    }

    @Test
    void saveNeverReplacesAFolderOfOtherFiles() throws IOException {
        ModelConfig c = small(null);
        Path dir = root.resolve("notes");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        IOException e = assertThrows(IOException.class,
                () -> store.save(dir, new Checkpoint(c, random(SpecLayout.base(c), 3), null, null, null, TOKENIZER)));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not a checkpoint's"),
                e.getMessage());
        assertEquals(List.of("notes.txt"), names(dir));
        assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
        assertEquals(List.of("notes"), names(root));

        // a checkpoint with a user's file beside it: replacing the folder would delete the file
        Path annotated = root.resolve("annotated");
        store.save(annotated, new Checkpoint(c, random(SpecLayout.base(c), 3), null, null, null, TOKENIZER));
        Files.writeString(annotated.resolve("README.txt"), "my best run");
        assertThrows(IOException.class,
                () -> store.save(annotated, new Checkpoint(c, random(SpecLayout.base(c), 4), null, null, null, TOKENIZER)));
        assertEquals("my best run", Files.readString(annotated.resolve("README.txt")));

        Path empty = Files.createDirectories(root.resolve("empty"));
        store.save(empty, new Checkpoint(c, random(SpecLayout.base(c), 3), null, null, null, TOKENIZER));
        assertEquals(List.of("model.safetensors", "tokenizer.json"), names(empty));
    }

    @Test
    void saveReplacesAnOlderCheckpointWhole() throws IOException {
        Path dir = root.resolve("latest");
        store.save(dir, full(small("flylora")));
        ModelConfig plain = small(null);
        store.save(dir, new Checkpoint(plain, random(SpecLayout.base(plain), 5), null, null, null, TOKENIZER));
        assertEquals(List.of("model.safetensors", "tokenizer.json"), names(dir));
        assertEquals(plain, store.load(dir).config());
        assertEquals(List.of("latest"), names(root));
    }

    @Test
    void refusesCorruptOrMismatchedCheckpointsNamingFileAndTensor() throws IOException {
        ModelConfig c = small("flylora");
        Path dir = root.resolve("bad");
        store.save(dir, full(c));

        Map<String, Tensor> adapter = random(SpecLayout.adapter(c), 9);
        adapter.put("layers.0.ffn.w2.lora_b", Tensor.zeros(3, 3));
        format.write(dir.resolve("adapter.safetensors"), TensorFile.of(adapter, Map.of()));
        assertLoadFails(dir, "adapter.safetensors", "'layers.0.ffn.w2.lora_b'");

        store.save(dir, full(c));
        Map<String, Tensor> moments = Map.of("norm.bias.exp_avg", Tensor.zeros(3));
        format.write(dir.resolve("optimizer.safetensors"), TensorFile.of(moments, Map.of("vesper.optimizer", "adamw", "vesper.step", "1")));
        assertLoadFails(dir, "optimizer.safetensors", "'norm.bias.exp_avg'");

        store.save(dir, full(c));
        Files.delete(dir.resolve("adapter.safetensors"));
        assertLoadFails(dir, "adapter.safetensors", "missing");

        store.save(dir, full(c));
        byte[] bytes = Files.readAllBytes(dir.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertLoadFails(dir, "model.safetensors", "tensor '");

        store.save(dir, full(c));
        Files.writeString(dir.resolve("trainer.json"), "{\"step\":");
        assertLoadFails(dir, "trainer.json", "not valid JSON");

        store.save(dir, full(c));
        Files.delete(dir.resolve("tokenizer.json"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertFalse(Files.exists(root.resolve("nothing")));
        assertThrows(NoSuchFileException.class, () -> store.load(root.resolve("nothing")));
    }

    @Test
    void aConfigurationThatCannotBeUsedIsRefusedNamingFileAndKey() throws IOException {
        Path dir = root.resolve("edited");
        Path model = dir.resolve("model.safetensors");
        store.save(dir, full(small(null)));
        // a context whose arrays overflow int, and a null that once surfaced as a NullPointerException
        editConfig(model, "\"context\":256", "\"context\":100000000");
        IOException e = assertThrows(IOException.class, () -> store.loadModel(dir));
        assertEquals(model + ": metadata 'vesper.config': model config: 'context' must be at most 32768, got 100000000",
                e.getMessage());
        editConfig(model, "\"context\":100000000", "\"context\":256");
        editConfig(model, "\"dropout\":0.0", "\"dropout\":null");
        e = assertThrows(IOException.class, () -> store.load(dir));
        assertEquals(model + ": metadata 'vesper.config': model config: 'dropout' is null; give it a value, or leave it"
                + " out for the default", e.getMessage());
    }

    /** Rewrites {@code file} with one piece of its model configuration's JSON replaced, as a hand edit would. */
    private void editConfig(Path file, String from, String to) throws IOException {
        TensorFile f = format.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(f.metadata());
        String config = metadata.get(DirectoryCheckpointStore.CONFIG_KEY);
        assertTrue(config.contains(from), config);
        metadata.put(DirectoryCheckpointStore.CONFIG_KEY, config.replace(from, to));
        format.write(file, TensorFile.of(f.floats(), metadata));
    }

    private void assertLoadFails(Path dir, String file, String fragment) {
        IOException e = assertThrows(IOException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(fragment), e.getMessage());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
