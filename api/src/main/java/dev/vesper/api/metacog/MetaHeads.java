package dev.vesper.api.metacog;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes, trains, reads and writes meta heads. Registered as a service by the metacognition bundle.
 *
 * @since 1.1
 */
@ProviderType
public interface MetaHeads {
    /** Told after each training step. */
    @FunctionalInterface
    interface Progress {
        void step(int step, int steps, double loss);
    }

    /** A new head for hidden states of width {@code dModel}, its weights drawn from {@code seed}. */
    MetaHead create(int dModel, long seed);

    /**
     * Reads a head from a SafeTensors file holding the {@code meta.*} tensors.
     *
     * @throws IOException naming the file, and the tensor at fault when one is missing or misshapen
     */
    MetaHead read(Path file) throws IOException;

    /** Writes the head's tensors and metadata to {@code file} atomically (temp file, fsync, rename). */
    void write(MetaHead head, Path file) throws IOException;

    /**
     * Trains the head on {@code model}'s hidden states over {@code config.data()}, the model itself
     * left unchanged, and scores it on the data's validation split before and after. The split takes
     * one document in ten by {@code config.seed()}, as the trainer does with its seed: the same seed
     * holds out the same documents. The head must not be in use (assessing, regulating) meanwhile.
     * Only heads made by this service can be trained or written.
     *
     * <p>With {@link MetaTrainingConfig#errorLabels()}, each step also trains the error classes on
     * the final hidden states of a batch of the labelled texts, a tenth of them held out by the seed
     * and scored before and after ({@link MetaTrainingResult#errors()}). Without it the error classes
     * keep their weights.
     *
     * @throws IOException naming the file at fault when the data cannot be read, and the line when
     *     a labelled text is malformed
     * @throws IllegalArgumentException when the head does not fit the model, naming both widths
     */
    MetaTrainingResult train(MetaHead head, LanguageModel model, Tokenizer tokenizer, MetaTrainingConfig config,
                             Progress progress) throws IOException;
}
