package dev.vesper.metacog.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.metacog.ErrorScores;
import dev.vesper.api.metacog.ErrorTraining;
import dev.vesper.api.metacog.MetaHeads;
import dev.vesper.api.metacog.MetaScores;
import dev.vesper.api.metacog.MetaTrainingConfig;
import dev.vesper.api.metacog.MetaTrainingResult;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trains a meta head on a frozen language model. The spec fixes the head but not what it learns
 * from; this trainer teaches the two outputs that the text itself can label: confidence, against
 * whether the model's most likely next token is the right one, and terminate, against whether the
 * next token is the end-of-text token. The error classes need labels that plain text does not
 * carry: given a file of labelled texts they train on it too ({@link ErrorClassTraining}), and
 * otherwise keep their weights (an untrained head says 1/3 for each).
 */
public final class MetaTrainer {
    /** What the trained head's metadata says it learned. */
    public static final String TRAINED_OUTPUTS = "confidence,terminate";
    /** What the metadata says when the error classes trained too, on labelled texts. */
    public static final String TRAINED_WITH_ERRORS = TRAINED_OUTPUTS + ",errors";
    /** Metadata keys of a head whose error classes trained: the labelled file, and how many of its texts. */
    public static final String LABELS = "vesper.meta.labels";
    public static final String LABELLED_TEXTS = "vesper.meta.labelled_texts";
    /** The step whose error weights the head kept (see {@link ErrorClassTraining}). */
    public static final String ERRORS_KEPT_STEP = "vesper.meta.errors_step";
    private static final int IGNORE = -100;

    private final Autograd autograd;
    private final OptimizerFactory adamw;

    public MetaTrainer(Autograd autograd, OptimizerFactory adamw) {
        this.autograd = autograd;
        this.adamw = adamw;
    }

    /**
     * Trains {@code head}; with {@code labelled} texts (read from {@code config.errorLabels()}), the
     * error classes too. The loss told to {@code progress} and to the optimizer is the plain-text
     * losses' sum, plus the error loss when there are labelled texts.
     */
    public MetaTrainingResult train(SpecMetaHead head, LanguageModel model, Tokenizer tokenizer, TokenDataset data,
                                    MetaTrainingConfig config, List<LabelledTexts.LabelledText> labelled,
                                    MetaHeads.Progress progress) throws IOException {
        checkWidth(head, model);
        int d = model.config().dModel();
        int seq = Math.min(config.seq(), model.config().context());
        int batch = config.batch();
        boolean validation = data.tokens(TokenDataset.Split.VALIDATION) >= seq + 1;
        TokenDataset.Split heldOut = validation ? TokenDataset.Split.VALIDATION : TokenDataset.Split.TRAIN;
        MetaPass pass = new MetaPass(head, batch * seq);
        HiddenBatch hidden = new HiddenBatch(batch * seq, d);
        int end = tokenizer.endOfText();

        ErrorClassTraining errors = labelled == null ? null
                : errorClassTraining(head, model, tokenizer, labelled, config.errorLabels().orElseThrow(), config.seed());
        MetaScores before = score(head, model, data, heldOut, config, seq, pass, hidden, end);
        ErrorScores errorsBefore = errors == null ? null : errors.score();
        Optimizer optimizer = adamw.create(trainedOutputs(head, errors != null),
                Map.of("lr", config.learningRate(), "weight_decay", 0.0));
        BatchSampler sampler = data.sampler(TokenDataset.Split.TRAIN, batch, seq, config.seed());
        int[] inputs = new int[batch * seq];
        int[] targets = new int[batch * seq];
        float[] dConfidence = new float[batch * seq];
        float[] dTerminate = new float[batch * seq];
        long started = System.nanoTime();
        for (int step = 1; step <= config.steps(); step++) {
            sampler.next(inputs, targets);
            hidden.read(autograd, model, inputs, targets, batch, seq, end, IGNORE);
            pass.forward(hidden.hiddenTensor());
            double loss = lossGradients(pass, hidden, dConfidence, dTerminate);
            for (Parameter p : head.parameters()) {
                p.value().zeroGrad();
            }
            pass.backward(hidden.hiddenTensor(), dConfidence, dTerminate, null);
            if (errors != null) {
                loss += errors.step();
            }
            optimizer.step(new StepContext(config.learningRate(), loss, Double.NaN));
            if (errors != null) {
                errors.stepped(step);
            }
            progress.step(step, config.steps(), loss);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        MetaScores after = score(head, model, data, heldOut, config, seq, pass, hidden, end);
        ErrorTraining errorTraining = errors == null ? null : finishErrors(errors, errorsBefore, config);
        noteTraining(head, config, errorTraining);
        return new MetaTrainingResult(before, after, config.steps(), (long) config.steps() * batch * seq, seconds,
                validation ? "the validation split" : "the training data (too little to split off a validation part)",
                errorTraining);
    }

    /** Keeps the error weights that read the held-out texts best, and scores them. */
    private static ErrorTraining finishErrors(ErrorClassTraining errors, ErrorScores before, MetaTrainingConfig config) {
        int kept = errors.keepBest(config.steps());
        return new ErrorTraining(config.errorLabels().orElseThrow().toString(), errors.trainingTexts(),
                errors.heldOutTexts(), before, errors.score(), kept);
    }

    /** What the head's file will say of its training. */
    private static void noteTraining(SpecMetaHead head, MetaTrainingConfig config, ErrorTraining errors) {
        head.note(SpecMetaHead.TRAINED, errors == null ? TRAINED_OUTPUTS : TRAINED_WITH_ERRORS);
        head.note("vesper.meta.data", config.data());
        head.note("vesper.meta.steps", Integer.toString(config.steps()));
        if (errors != null) {
            head.note(LABELS, errors.labels());
            head.note(LABELLED_TEXTS, Integer.toString(errors.trainingTexts()));
            head.note(ERRORS_KEPT_STEP, Integer.toString(errors.keptStep()));
        }
    }

    /** The labelled texts' final states, read through the frozen model once. */
    private ErrorClassTraining errorClassTraining(SpecMetaHead head, LanguageModel model, Tokenizer tokenizer,
                                                  List<LabelledTexts.LabelledText> texts, Path file, long seed)
            throws IOException {
        float[] states = FinalStates.read(autograd, model, tokenizer, texts, file);
        int[] labels = texts.stream().mapToInt(LabelledTexts.LabelledText::label).toArray();
        return new ErrorClassTraining(head, states, labels, seed);
    }

    /** @throws IllegalArgumentException when the head does not read hidden states of the model's width */
    public static void checkWidth(SpecMetaHead head, LanguageModel model) {
        int d = model.config().dModel();
        if (head.dModel() != d) {
            throw new IllegalArgumentException("the meta head reads hidden states of width " + head.dModel()
                    + ", the model's are " + d + " (d_model); make a head for this model");
        }
    }

    /** The head's weights, only those of confidence and terminate requiring gradients unless the error classes train too. */
    private static List<Parameter> trainedOutputs(SpecMetaHead head, boolean errorClasses) {
        for (Parameter p : head.parameters()) {
            boolean trains = errorClasses || p.name().startsWith(SpecMetaHead.CONFIDENCE)
                    || p.name().startsWith(SpecMetaHead.TERMINATE);
            p.value().requiresGrad(trains);
        }
        return head.parameters();
    }

    /** Mean binary cross-entropy of both outputs over the counted rows, and its derivatives in their logits. */
    static double lossGradients(MetaPass pass, HiddenBatch batch, float[] dConfidence, float[] dTerminate) {
        int counted = 0;
        for (int r = 0; r < pass.rows(); r++) {
            counted += batch.counted[r] ? 1 : 0;
        }
        double loss = 0;
        double n = Math.max(1, counted);
        for (int r = 0; r < pass.rows(); r++) {
            if (!batch.counted[r]) {
                dConfidence[r] = 0;
                dTerminate[r] = 0;
                continue;
            }
            double zc = pass.confidenceLogit(r);
            double zt = pass.terminateLogit(r);
            loss += Logistic.crossEntropy(zc, batch.topTokenRight[r]) + Logistic.crossEntropy(zt, batch.endsText[r]);
            dConfidence[r] = (float) ((Logistic.sigmoid(zc) - batch.topTokenRight[r]) / n);
            dTerminate[r] = (float) ((Logistic.sigmoid(zt) - batch.endsText[r]) / n);
        }
        return loss / n;
    }

    /** Scores the head on up to {@code validationBatches} batches spread over one in-order pass of a split. */
    private MetaScores score(SpecMetaHead head, LanguageModel model, TokenDataset data, TokenDataset.Split split,
                             MetaTrainingConfig config, int seq, MetaPass pass, HiddenBatch hidden, int end) {
        BatchSampler sampler = data.inOrder(split, config.batch(), seq, IGNORE);
        long inPass = sampler.batchesPerEpoch();
        int batches = (int) Math.min(config.validationBatches(), inPass);
        int[] inputs = new int[config.batch() * seq];
        int[] targets = new int[config.batch() * seq];
        MetaScorer scorer = new MetaScorer();
        for (int b = 0; b < batches; b++) {
            sampler.seek(b * inPass / batches);
            sampler.next(inputs, targets);
            hidden.read(autograd, model, inputs, targets, config.batch(), seq, end, IGNORE);
            pass.forward(hidden.hiddenTensor());
            scorer.add(pass, hidden);
        }
        return scorer.scores();
    }
}
