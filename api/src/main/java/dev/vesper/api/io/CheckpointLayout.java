package dev.vesper.api.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where checkpoints lie on disk. A run folder keeps its checkpoints in {@value #CHECKPOINTS}/, one
 * folder each, named so that they sort in step order ({@code step-00000300} after
 * {@code step-00000200}); a checkpoint is a folder holding {@value #MODEL}.
 */
public final class CheckpointLayout {
    /** The folder of a run folder that holds its checkpoints. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The file that makes a folder a checkpoint: the base weights and the model configuration. */
    public static final String MODEL = "model.safetensors";
    /** The adapter's weights, in a checkpoint of a model with one. */
    public static final String ADAPTER = "adapter.safetensors";
    /** The optimizer's state, in a checkpoint written by a training run. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** The run's state (step, data position, RNG, schedule), in a checkpoint written by a training run. */
    public static final String TRAINER = "trainer.json";
    /** The tokenizer, in Hugging Face's format. */
    public static final String TOKENIZER = "tokenizer.json";

    private CheckpointLayout() {
    }

    /** Whether {@code folder} is one checkpoint. */
    public static boolean isCheckpoint(Path folder) {
        return Files.isRegularFile(folder.resolve(MODEL));
    }

    /** Whether {@code folder} is a run folder: one with a {@value #CHECKPOINTS} folder. */
    public static boolean isRun(Path folder) {
        return Files.isDirectory(folder.resolve(CHECKPOINTS));
    }

    /**
     * The newest checkpoint of a run folder, or the newest one in a folder of checkpoints; empty
     * when there is none.
     */
    public static Optional<Path> newest(Path folder) throws IOException {
        Path checkpoints = isRun(folder) ? folder.resolve(CHECKPOINTS) : folder;
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.filter(CheckpointLayout::isCheckpoint)
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }
}
