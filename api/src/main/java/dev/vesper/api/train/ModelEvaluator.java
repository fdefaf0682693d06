package dev.vesper.api.train;

import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Measures a saved model on a dataset: what {@code vesper:eval} reports. */
@ProviderType
public interface ModelEvaluator {
    /**
     * The mean cross-entropy of the checkpoint's model, with the checkpoint's tokenizer, over
     * {@code data} (all of it, split or not) read once in order, in windows of {@code seq} tokens
     * (at most the model's context), {@code batch} to a batch: each token is scored at most once,
     * and with the whole pass scored the result does not depend on {@code batch}. When the pass
     * takes more than {@code maxBatches}, that many batches are scored, spread evenly over it.
     *
     * @throws IOException naming the file at fault when the checkpoint or the data cannot be read
     */
    default Evaluation evaluate(Path checkpoint, String data, int seq, int batch, int maxBatches) throws IOException {
        return evaluate(checkpoint, data, ReadOptions.defaults(), seq, batch, maxBatches);
    }

    /**
     * As {@link #evaluate(Path, String, int, int, int)}, reading {@code data} as {@code read} says (its text
     * field, whether bad records are skipped), as a training run with the same options reads it.
     *
     * @since 1.4
     */
    Evaluation evaluate(Path checkpoint, String data, ReadOptions read, int seq, int batch, int maxBatches)
            throws IOException;

    /**
     * As {@link #evaluate(Path, String, int, int, int)}, for a model already in memory with its
     * tokenizer (the one just trained or loaded); {@code label} names it in the result.
     *
     * @since 1.2
     */
    default Evaluation evaluate(LanguageModel model, Tokenizer tokenizer, String label, String data, int seq, int batch,
                                int maxBatches) throws IOException {
        return evaluate(model, tokenizer, label, data, ReadOptions.defaults(), seq, batch, maxBatches);
    }

    /**
     * As {@link #evaluate(LanguageModel, Tokenizer, String, String, int, int, int)}, reading {@code data} as
     * {@code read} says.
     *
     * @since 1.4
     */
    Evaluation evaluate(LanguageModel model, Tokenizer tokenizer, String label, String data, ReadOptions read, int seq,
                        int batch, int maxBatches) throws IOException;
}
