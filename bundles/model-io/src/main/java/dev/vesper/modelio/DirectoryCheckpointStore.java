package dev.vesper.modelio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.api.io.TensorFile;
import dev.vesper.api.io.TensorFileFormat;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.files.AtomicFiles;
import dev.vesper.files.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Checkpoint directories (spec section 7). A save checks the whole checkpoint first, writes a
 * temporary sibling directory (every file fsynced), then swaps it into place by rename, so a failed or
 * refused save leaves any existing checkpoint as it was. A load checks every file against the stored
 * configuration and refuses a corrupt or mismatched one, naming the file and tensor.
 */
@Component(service = CheckpointStore.class)
public final class DirectoryCheckpointStore implements CheckpointStore {
    public static final String MODEL = CheckpointLayout.MODEL;
    public static final String ADAPTER = CheckpointLayout.ADAPTER;
    public static final String OPTIMIZER = CheckpointLayout.OPTIMIZER;
    public static final String TRAINER = CheckpointLayout.TRAINER;
    public static final String TOKENIZER = CheckpointLayout.TOKENIZER;
    /** Everything a checkpoint folder holds. */
    private static final java.util.Set<String> CHECKPOINT_FILES = java.util.Set.of(MODEL, ADAPTER, OPTIMIZER, TRAINER,
            TOKENIZER);
    /** Metadata key of the model configuration JSON in model and adapter files. */
    public static final String CONFIG_KEY = "vesper.config";
    /** Metadata keys of the optimizer's name and step count in optimizer.safetensors. */
    public static final String OPTIMIZER_KEY = "vesper.optimizer";
    public static final String STEP_KEY = "vesper.step";

    private final TensorFileFormat format;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public DirectoryCheckpointStore(@Reference(target = "(vesper.format=safetensors)") TensorFileFormat format) {
        this.format = format;
    }

    @Override
    public void save(Path directory, Checkpoint c) throws IOException {
        validate(c);
        Path target = directory.toAbsolutePath().normalize();
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot create its folder (" + FileErrors.describe(e) + "); nothing was written", e);
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IOException(target + ": exists and is not a directory; not overwritten");
        }
        if (Files.isDirectory(target) && !replaceable(target)) {
            throw new IOException(target + ": exists and holds files that are not a checkpoint's; not overwritten");
        }
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + suffix());
        try {
            Files.createDirectory(tmp);
            writeContents(tmp, c);
            AtomicFiles.fsyncDirectory(tmp);
            swapIn(tmp, target);
        } catch (IOException e) {
            throw new IOException(target + ": " + whyNotWritten(e, tmp, target) + "; nothing was written", e);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    /** The reason, in terms of the folder asked for: the temporary one beside it is the store's business. */
    private static String whyNotWritten(IOException e, Path tmp, Path target) {
        Throwable cause = e.getCause() instanceof IOException io ? io : e;
        if (cause instanceof FileSystemException f) {
            return "cannot write (" + FileErrors.reason(f) + ")";
        }
        String message = String.valueOf(e.getMessage()).replace(tmp.toString(), target.toString());
        return message.startsWith(target + ": ") ? message.substring(target.toString().length() + 2) : message;
    }

    @Override
    public Checkpoint load(Path directory) throws IOException {
        Checkpoint m = loadModel(directory);
        OptimizerState optimizer = loadOptimizer(directory, m.model(), m.adapter());
        Path trainerFile = directory.resolve(TRAINER);
        String trainer = Files.exists(trainerFile) ? readJson(trainerFile) : null;
        return new Checkpoint(m.config(), m.model(), m.adapter(), optimizer, trainer, m.tokenizerJson());
    }

    @Override
    public Checkpoint loadModel(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a checkpoint directory");
        }
        Path modelFile = required(directory, MODEL);
        Path tokenizerFile = required(directory, TOKENIZER);
        TensorFile model = read(modelFile);
        ModelConfig config = config(modelFile, model);
        onlyFloats(modelFile, model);
        checked(() -> SpecLayout.check(modelFile.toString(), SpecLayout.base(config), model.floats()));
        finite(modelFile, model.floats());
        Map<String, Tensor> adapter = loadAdapter(directory, config);
        return new Checkpoint(config, model.floats(), adapter, null, null, readJson(tokenizerFile));
    }

    private void validate(Checkpoint c) {
        if (c.config() == null) {
            throw new IllegalArgumentException("checkpoint: no model configuration");
        }
        if (c.tokenizerJson() == null) {
            throw new IllegalArgumentException("checkpoint: " + TOKENIZER + " text is missing");
        }
        requireJson(TOKENIZER, c.tokenizerJson());
        if (c.trainerJson() != null) {
            requireJson(TRAINER, c.trainerJson());
        }
        SpecLayout.check(MODEL, SpecLayout.base(c.config()), c.model());
        SpecLayout.check(ADAPTER, SpecLayout.adapter(c.config()), c.adapter());
        if (c.optimizer() != null) {
            OptimizerState o = c.optimizer();
            if (o.optimizer() == null || o.optimizer().isBlank()) {
                throw new IllegalArgumentException(OPTIMIZER + ": the optimizer state has no optimizer name");
            }
            // the store writes these two itself; a state may carry them too, as long as they agree
            reservedAgrees(OPTIMIZER_KEY, o.optimizer(), o.metadata());
            reservedAgrees(STEP_KEY, Long.toString(o.step()), o.metadata());
            for (Map.Entry<String, float[]> e : o.tensors().entrySet()) {
                paramOf(OPTIMIZER, e.getKey(), e.getValue().length, c.model(), c.adapter());
            }
        }
    }

    private static void reservedAgrees(String key, String stored, Map<String, String> metadata) {
        String given = metadata.get(key);
        if (given != null && !given.equals(stored)) {
            throw new IllegalArgumentException(OPTIMIZER + ": metadata '" + key + "' is '" + given + "', but the state's is '"
                    + stored + "' (the store writes that key itself)");
        }
    }

    private void writeContents(Path dir, Checkpoint c) throws IOException {
        String config = json.writeValueAsString(c.config().toMap());
        format.write(dir.resolve(MODEL), TensorFile.of(c.model(), Map.of(CONFIG_KEY, config)));
        if (!c.adapter().isEmpty()) {
            format.write(dir.resolve(ADAPTER), TensorFile.of(c.adapter(), Map.of(CONFIG_KEY, config)));
        }
        if (c.optimizer() != null) {
            OptimizerState o = c.optimizer();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : o.tensors().entrySet()) {
                Tensor p = paramOf(OPTIMIZER, e.getKey(), e.getValue().length, c.model(), c.adapter());
                tensors.put(e.getKey(), Tensor.wrap(e.getValue(), p.shape()));
            }
            Map<String, String> meta = new LinkedHashMap<>(o.metadata());
            meta.put(OPTIMIZER_KEY, o.optimizer());
            meta.put(STEP_KEY, Long.toString(o.step()));
            format.write(dir.resolve(OPTIMIZER), TensorFile.of(tensors, meta));
        }
        if (c.trainerJson() != null) {
            AtomicFiles.writeText(dir.resolve(TRAINER), c.trainerJson());
        }
        AtomicFiles.writeText(dir.resolve(TOKENIZER), c.tokenizerJson());
    }

    /**
     * A save replaces a whole folder only when it is empty or holds nothing but a checkpoint's files: never a
     * folder with other files in it, which the swap would delete.
     */
    private static boolean replaceable(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.allMatch(p -> CHECKPOINT_FILES.contains(p.getFileName().toString()) && Files.isRegularFile(p));
        }
    }

    /** Renames the finished directory into place; an old checkpoint is moved aside first and removed last. */
    private static void swapIn(Path tmp, Path target) throws IOException {
        Path parent = target.getParent();
        if (!Files.exists(target)) {
            AtomicFiles.move(tmp, target);
            AtomicFiles.fsyncDirectory(parent);
            return;
        }
        Path old = parent.resolve("." + target.getFileName() + ".old-" + suffix());
        AtomicFiles.move(target, old);
        try {
            AtomicFiles.move(tmp, target);
        } catch (IOException e) {
            AtomicFiles.move(old, target);
            throw e;
        }
        AtomicFiles.fsyncDirectory(parent);
        AtomicFiles.deleteTree(old);
    }

    private Map<String, Tensor> loadAdapter(Path directory, ModelConfig config) throws IOException {
        Path file = directory.resolve(ADAPTER);
        boolean present = Files.exists(file);
        if (config.hasAdapter() && !present) {
            throw new IOException(file + ": missing, but the configuration has adapter '" + config.adapter() + "'");
        }
        if (!present) {
            return Map.of();
        }
        if (!config.hasAdapter()) {
            throw new IOException(file + ": present, but the configuration in " + MODEL + " has no adapter");
        }
        TensorFile adapter = read(file);
        onlyFloats(file, adapter);
        String stored = adapter.metadata().get(CONFIG_KEY);
        if (stored != null && !config(file, adapter).equals(config)) {
            throw new IOException(file + ": its 'vesper.config' differs from the one in " + MODEL);
        }
        checked(() -> SpecLayout.check(file.toString(), SpecLayout.adapter(config), adapter.floats()));
        finite(file, adapter.floats());
        return adapter.floats();
    }

    private OptimizerState loadOptimizer(Path directory, Map<String, Tensor> model, Map<String, Tensor> adapter)
            throws IOException {
        Path file = directory.resolve(OPTIMIZER);
        if (!Files.exists(file)) {
            return null;
        }
        TensorFile f = read(file);
        onlyFloats(file, f);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        String name = meta.remove(OPTIMIZER_KEY);
        String step = meta.remove(STEP_KEY);
        if (name == null || step == null) {
            throw new IOException(file + ": metadata '" + OPTIMIZER_KEY + "' and '" + STEP_KEY + "' are required");
        }
        long steps;
        try {
            steps = Long.parseLong(step);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata '" + STEP_KEY + "' is not an integer: " + step);
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : f.floats().entrySet()) {
            checked(() -> paramOf(file.toString(), e.getKey(), e.getValue().size(), model, adapter));
            tensors.put(e.getKey(), e.getValue().toArray());
        }
        return new OptimizerState(name, steps, tensors, meta);
    }

    /** The parameter an optimizer tensor {@code {param}.{statistic}} belongs to, of the same size. */
    private static Tensor paramOf(String file, String key, int size, Map<String, Tensor> model, Map<String, Tensor> adapter) {
        int dot = key.lastIndexOf('.');
        String param = dot > 0 ? key.substring(0, dot) : key;
        Tensor p = model.containsKey(param) ? model.get(param) : adapter.get(param);
        if (p == null) {
            throw new IllegalArgumentException(file + ": tensor '" + key + "': belongs to no parameter '" + param + "' of the model");
        }
        if (p.size() != size) {
            throw new IllegalArgumentException(file + ": tensor '" + key + "': " + size + " values, but parameter '"
                    + param + "' has " + p.size());
        }
        return p;
    }

    private ModelConfig config(Path file, TensorFile f) throws IOException {
        String text = f.metadata().get(CONFIG_KEY);
        if (text == null) {
            throw new IOException(file + ": metadata '" + CONFIG_KEY + "' is missing");
        }
        try {
            return ModelConfig.fromMap(json.readValue(text, new TypeReference<Map<String, Object>>() { }));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": metadata '" + CONFIG_KEY + "' is not valid JSON: " + JsonErrors.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": metadata '" + CONFIG_KEY + "': " + e.getMessage(), e);
        }
    }

    private static void onlyFloats(Path file, TensorFile f) throws IOException {
        if (!f.ints().isEmpty()) {
            throw new IOException(file + ": tensor '" + f.ints().keySet().iterator().next()
                    + "': integer tensor where only floating weights belong");
        }
    }

    /**
     * Weights that are not finite cannot be used: loaded, they would only make the model print noise,
     * or a resumed run take nothing but bad steps. They come from damage, or from a run whose weights
     * overflowed; either way the file and tensor are named rather than the model loaded.
     */
    private static void finite(Path file, Map<String, Tensor> tensors) throws IOException {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            float[] data = t.data();
            for (int i = 0; i < t.size(); i++) {
                float v = data[t.offset() + i];
                if (!Float.isFinite(v)) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' holds " + v + " at element " + i
                            + "; weights must be finite numbers");
                }
            }
        }
    }

    private TensorFile read(Path file) throws IOException {
        try {
            return format.read(file);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private String readJson(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + JsonErrors.describe(e) + ")", e);
        }
        return text;
    }

    private void requireJson(String name, String text) {
        try {
            json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint: " + name + " is not valid JSON (" + JsonErrors.describe(e) + ")");
        }
    }

    private static Path required(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "a checkpoint needs " + name);
        }
        return p;
    }

    private interface Check {
        void run();
    }

    /** Turns a consistency failure into the IOException that {@link #load} promises. */
    private static void checked(Check c) throws IOException {
        try {
            c.run();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String suffix() {
        return Long.toHexString(System.nanoTime()) + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    }
}
