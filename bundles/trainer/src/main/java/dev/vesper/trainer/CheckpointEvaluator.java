package dev.vesper.trainer;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.data.DataService;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.data.TokenizerFactory;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.train.Evaluation;
import dev.vesper.api.train.ModelEvaluator;
import dev.vesper.trainer.internal.Evaluator;
import dev.vesper.trainer.internal.StepRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link ModelEvaluator}: a checkpoint's model and tokenizer, measured on any dataset. */
@Component(service = ModelEvaluator.class)
public final class CheckpointEvaluator implements ModelEvaluator {
    private static final long SEED = 1234;
    /** Where scored data is tokenized and kept, under the working directory, whatever model is scored. */
    private static final Path EVAL_CACHE = Path.of("runs", ".eval-cache");

    private final Autograd autograd;
    private final ModelFactory models;
    private final TokenizerFactory tokenizers;
    private final DataService data;
    private final CheckpointStore checkpoints;

    @Activate
    public CheckpointEvaluator(@Reference Autograd autograd, @Reference ModelFactory models,
                               @Reference TokenizerFactory tokenizers, @Reference DataService data,
                               @Reference CheckpointStore checkpoints) {
        this.autograd = autograd;
        this.models = models;
        this.tokenizers = tokenizers;
        this.data = data;
        this.checkpoints = checkpoints;
    }

    @Override
    public Evaluation evaluate(Path checkpoint, String source, ReadOptions read, int seq, int batch, int maxBatches)
            throws IOException {
        if (seq <= 0 || batch <= 0 || maxBatches <= 0) {
            throw new IllegalArgumentException("eval: seq, batch and batches must be > 0");
        }
        if (!Files.isDirectory(checkpoint)) {
            throw new IOException("no checkpoint folder " + checkpoint);
        }
        Checkpoint c = checkpoints.loadModel(checkpoint);
        if (c.tokenizerJson() == null) {
            throw new IOException(checkpoint.resolve(CheckpointLayout.TOKENIZER) + ": missing; the model needs its tokenizer");
        }
        Tokenizer tokenizer = tokenizers.fromJson(c.tokenizerJson(), checkpoint.resolve(CheckpointLayout.TOKENIZER).toString());
        if (tokenizer.vocabSize() != c.config().vocabSize()) {
            throw new IOException(checkpoint.resolve(CheckpointLayout.TOKENIZER) + " has " + tokenizer.vocabSize()
                    + " ids but " + checkpoint.resolve(CheckpointLayout.MODEL) + " was made for vocab_size "
                    + c.config().vocabSize());
        }
        LanguageModel model = models.create(c.config(), SEED);
        c.loadInto(model, checkpoint);
        return measure(model, tokenizer, checkpoint.toString(), source, read, seq, batch, maxBatches, EVAL_CACHE);
    }

    @Override
    public Evaluation evaluate(LanguageModel model, Tokenizer tokenizer, String label, String source, ReadOptions read,
                               int seq, int batch, int maxBatches) throws IOException {
        if (seq <= 0 || batch <= 0 || maxBatches <= 0) {
            throw new IllegalArgumentException("eval: seq, batch and batches must be > 0");
        }
        return measure(model, tokenizer, label, source, read, seq, batch, maxBatches, EVAL_CACHE);
    }

    private Evaluation measure(LanguageModel model, Tokenizer tokenizer, String label, String source, ReadOptions read,
                               int seq, int batch, int maxBatches, Path cacheDirectory) throws IOException {
        // a window longer than the model's context cannot be scored; the result says which length was used
        int window = Math.min(seq, model.config().context());
        Path cache = Files.createDirectories(cacheDirectory.toAbsolutePath());
        try (TokenDataset tokens = data.tokens(source, read, tokenizer,
                new DatasetOptions(0.0, true, SEED, cache))) {
            long available = tokens.tokens(TokenDataset.Split.TRAIN);
            if (available < 2) {
                throw new IOException(source + ": " + available + " tokens; at least two are needed to score one");
            }
            // one pass in order, so that each token is scored once and the result does not depend on --batch
            var sampler = tokens.inOrder(TokenDataset.Split.TRAIN, batch, window, StepRunner.IGNORE);
            long pass = sampler.batchesPerEpoch();
            int batches = (int) Math.min(maxBatches, pass);
            // fewer batches than a pass: take them evenly from all of it, not just from its start
            Evaluator.Result r = new Evaluator(autograd, sampler, batches, true).evaluate(model);
            return new Evaluation(label, source, r.loss(), r.tokens(), window, batches, pass)
                    .withSkippedLines(tokens.skippedLines(), tokens.firstSkippedLine());
        }
    }
}
