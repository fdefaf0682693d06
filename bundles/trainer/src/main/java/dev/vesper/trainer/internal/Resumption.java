package dev.vesper.trainer.internal;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint made ready to continue from: loaded, checked and turned into a model, optimizer and
 * tokenizer before the job starts, so that a corrupt or mismatched checkpoint is refused at
 * {@code start} with a message naming the file and the tensor, and nothing is written.
 */
public record Resumption(Path directory, TrainerState state, Tokenizer tokenizer,
                         LanguageModel model, Optimizer optimizer, OptimizerFactory optimizerFactory) {

    /**
     * Loads {@code config.resume()} and sets the run settings of {@code config} (model, data,
     * tokenizer, batch shape, optimizer, schedule, seed) to the checkpoint's.
     *
     * @throws IllegalArgumentException starting with {@code --resume:} and naming file and tensor
     */
    public static Resumption load(Collaborators services, TrainingConfig config) {
        Path dir = config.resume();
        Checkpoint ck = checkpoint(services, dir);
        TrainerState state = TrainerState.parse(ck.trainerJson(), "--resume: " + dir.resolve(CheckpointLayout.TRAINER));
        Configs.requireSameRunSettings(state, config, dir.resolve(CheckpointLayout.TRAINER));
        Configs.applyRunSettings(state.config(), config);
        Tokenizer tokenizer = tokenizer(services, ck, dir);
        LanguageModel model = model(services, ck, dir, config.seed());
        String name = state.optimizer();
        OptimizerFactory factory = services.optimizers().apply(name);
        requireInstalled("optimizer", name, factory);
        Optimizer optimizer = factory.create(model.trainableParameters(), OptimizerOptions.forName(config, name));
        try {
            optimizer.importState(ck.optimizer());
        } catch (IncompatibleStateException e) {
            throw new IllegalArgumentException("--resume: " + dir.resolve(CheckpointLayout.OPTIMIZER) + ": "
                    + e.getMessage(), e);
        }
        if (config.epochs() <= 0 && config.steps() <= state.step()) {
            throw new IllegalArgumentException("--steps: the checkpoint is already at step " + state.step()
                    + ", and the run would end at step " + config.steps() + " (steps count from the start of the run):"
                    + " pass a larger --steps to train on");
        }
        // the checkpoint's tensors are not kept: the model and optimizer hold copies now
        return new Resumption(dir, state, tokenizer, model, optimizer, factory);
    }

    /** The checkpoint, with what a resume needs beyond a model: the trainer's and the optimizer's state. */
    private static Checkpoint checkpoint(Collaborators services, Path dir) {
        Checkpoint ck;
        try {
            ck = services.checkpoints().load(dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--resume: " + e.getMessage(), e);
        }
        if (ck.trainerJson() == null) {
            throw new IllegalArgumentException("--resume: " + dir.resolve(CheckpointLayout.TRAINER)
                    + " is missing: a checkpoint for inference cannot resume training (use it as --model to fine-tune)");
        }
        if (ck.optimizer() == null) {
            throw new IllegalArgumentException("--resume: " + dir.resolve(CheckpointLayout.OPTIMIZER) + " is missing");
        }
        return ck;
    }

    private static Tokenizer tokenizer(Collaborators services, Checkpoint ck, Path dir) {
        Tokenizer tokenizer;
        try {
            tokenizer = services.tokenizers().fromJson(ck.tokenizerJson(), dir.resolve(CheckpointLayout.TOKENIZER).toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--resume: " + e.getMessage(), e);
        }
        if (tokenizer.vocabSize() != ck.config().vocabSize()) {
            throw new IllegalArgumentException("--resume: " + dir.resolve(CheckpointLayout.TOKENIZER) + " has "
                    + tokenizer.vocabSize() + " ids but model.safetensors was made for vocab_size "
                    + ck.config().vocabSize());
        }
        return tokenizer;
    }

    private static LanguageModel model(Collaborators services, Checkpoint ck, Path dir, long seed) {
        requireInstalled("activation", ck.config().activation(), services.activations().apply(ck.config().activation()));
        LanguageModel model = services.models().create(ck.config(), seed);
        try {
            ck.loadInto(model, dir);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--resume: " + e.getMessage(), e);
        }
        return model;
    }

    /** A run cannot go on without the services it was trained with: say so now rather than wait for them. */
    private static void requireInstalled(String kind, String name, Object service) {
        if (service == null) {
            throw new IllegalArgumentException("--resume: the checkpoint's " + kind + " '" + name + "' is not installed:"
                    + " start the bundle that provides it, or drop its jar into deploy/, then resume");
        }
    }
}
