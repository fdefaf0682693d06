package dev.vesper.trainer.internal;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.model.Activation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * How a run outlives what goes wrong in its steps: too many non-finite steps in a row, weights that are no
 * longer finite, a plug-in that fails mid-step. It goes back to its last checkpoint at half the rate, or to
 * the activation it had before a switch; when neither helps, it stops or ends. Keeps the counts that tell
 * when a recovery has not helped.
 */
final class Recovery {
    /** Recoveries in a row without a finite step, after which a lower rate is no longer tried. */
    static final int MAX_RELOADS = 3;

    /** How the run stops when it cannot go on: with a checkpoint, and no last evaluation. */
    interface Stop {
        void stop(String why) throws IOException;
    }

    private final Function<String, Activation> activations;
    private final Equipment equipment;
    private final Progress progress;
    private final TrainingData data;
    private final RunCheckpoints checkpoints;
    private final StatusBoard board;
    private final Journal journal;
    private final int maxBadSteps;
    private final Stop stop;

    /** Non-finite steps in a row. */
    private int badSteps;
    /** The activation in use before the last switch, to go back to if the new one fails; null once it cannot. */
    private String activationBefore;
    /**
     * Recoveries since the run last got past the step that set them off ({@code troubleAt}), and the rate
     * scale before the first of them.
     */
    private int reloadsInARow;
    private long troubleAt = -1;
    private double scaleBeforeReloads;

    Recovery(Function<String, Activation> activations, Equipment equipment, Progress progress, TrainingData data,
             RunCheckpoints checkpoints, StatusBoard board, Journal journal, int maxBadSteps, Stop stop) {
        this.activations = activations;
        this.equipment = equipment;
        this.progress = progress;
        this.data = data;
        this.checkpoints = checkpoints;
        this.board = board;
        this.journal = journal;
        this.maxBadSteps = maxBadSteps;
        this.stop = stop;
    }

    /**
     * Counts the outcome of step {@code step}, before the run moves on to it: a finite step ends a series of
     * skipped ones and, once past the step that set the recoveries off, the series of recoveries too; a skipped
     * step is told.
     */
    void count(TrainingStep.Outcome o, long step) {
        if (o.stepped()) {
            badSteps = 0;
            if (step > troubleAt) {
                reloadsInARow = 0;
            }
        } else {
            badSteps++;
            String why = "step " + step + " skipped: loss " + o.result().loss() + ", gradient norm " + o.gradNorm()
                    + " (" + badSteps + " in a row)";
            journal.warn(why);
            journal.note("skip", why);
        }
    }

    /**
     * After a step: recovers when the weights are no longer finite, or too many steps in a row were skipped.
     * Returns whether the run goes on: false once recovery has given up and ended it.
     */
    boolean afterStep(TrainingStep.Outcome o) throws IOException {
        if (!o.stepped() && !FiniteWeights.of(equipment.model())) {
            return fromBadWeights();
        }
        return badSteps < maxBadSteps || recover(maxBadSteps + " non-finite steps in a row");
    }

    /** A switch away from {@code activation}: should the new one fail, the run goes back to it. */
    void switchedFrom(String activation) {
        activationBefore = activation;
    }

    /**
     * The next step failed in a plug-in, and has been forgotten. An activation cannot have touched the weights:
     * the run goes back to the activation it had before a switch, or else stops with a checkpoint of the last
     * good step. An optimizer's update may have changed the weights part-way, so the run ends there, naming
     * the checkpoint to go on from. Returns whether the run goes on.
     */
    boolean outlive(PluginFault fault, RuntimeException failure) throws IOException {
        String why = "step " + progress.next() + " failed in " + fault;
        journal.warn(why);
        journal.debug("where the " + fault.kind() + " failed, for its author", failure);
        journal.note("fault", why);
        if (!fault.isActivation()) {
            Path resumable = checkpoints.resumable();
            throw new PluginFailure(why + "; its update may have changed weights part-way, so the run ends here"
                    + (resumable != null ? ": resume from " + resumable : ""), failure);
        }
        return backToActivationBefore(why, "");
    }

    /**
     * The weights are non-finite (a skipped step, or a checkpoint, found them so): an update made them so, and
     * training on cannot mend them. Back to the last checkpoint at half the rate, as {@link #recover} does;
     * without one, or when reloads have not got the run past this point {@value #MAX_RELOADS} times over, the
     * optimizer is the cause and the run ends, with nothing saved. Returns whether the run goes on.
     */
    boolean fromBadWeights() throws IOException {
        String why = "the weights are no longer finite at step " + progress.step() + ", updated by "
                + Equipment.describe(equipment.optimizerName(), equipment.optimizer());
        Path from = checkpoints.reloadSource();
        if (from == null) {
            throw new PluginFailure(why + ", and there is no checkpoint to go back to: the run ends here, nothing"
                    + " saved", null);
        }
        if (reloadsInARow + 1 >= MAX_RELOADS) {
            throw new PluginFailure(why + ", again after " + reloadsInARow + " reloads at lower rates: the run ends"
                    + " here, nothing saved; resume from " + from + " (vesper:use optimizer NAME then switches)", null);
        }
        journal.warn(why);
        journal.note("fault", why);
        return recover("non-finite weights");
    }

    /**
     * Goes back to the activation in use before the last switch, if it is still installed, saying {@code why};
     * or else stops the run with a checkpoint. Returns whether the run goes on.
     */
    private boolean backToActivationBefore(String why, String how) throws IOException {
        String back = activationBefore;
        activationBefore = null;
        if (back != null && activations.apply(back) != null) {
            equipment.switchActivation(back, progress.step());
            if (equipment.activationName().equals(back)) {
                String text = why + "; back to activation '" + back + "'" + how + ", and the run goes on";
                board.say(text);
                journal.warn(text);
                journal.note("notice", text);
                return true;
            }
        }
        // no last evaluation: it would run the failed activation again
        stop.stop(why + "; stopped at step " + progress.step());
        return false;
    }

    /**
     * After too many non-finite steps in a row: back to the last checkpoint, at half the rate. When that
     * has not brought one finite step {@value #MAX_RELOADS} times over, the rate is not the cause: the run
     * goes back to the activation it had before a switch, at the rate it had, or else stops. Returns
     * whether the run goes on.
     */
    private boolean recover(String reason) throws IOException {
        badSteps = 0;
        if (reloadsInARow == 0) {
            scaleBeforeReloads = progress.lrScale();
        }
        reloadsInARow++;
        troubleAt = Math.max(troubleAt, progress.step());
        progress.halveRate();
        Path from = checkpoints.reloadSource();
        String what;
        if (from == null) {
            what = reason + " and no checkpoint yet: learning rate halved (x"
                    + progress.lrScale() + ")";
        } else {
            reload(from);
            what = reason + ": reloaded " + from + " (step " + progress.step()
                    + ") with the learning rate halved (x" + progress.lrScale() + ")";
        }
        journal.warn(what);
        journal.note("recover", what);
        board.say(what);
        return reloadsInARow < MAX_RELOADS || giveUpRecovering();
    }

    /** Puts the run back where checkpoint {@code from} has it: weights, optimizer state, step and place in the data. */
    private void reload(Path from) throws IOException {
        Checkpoint c = checkpoints.load(from);
        equipment.reload(c, from);
        TrainerState s = TrainerState.parse(c.trainerJson(), from.resolve(CheckpointLayout.TRAINER).toString());
        progress.backTo(s.step());
        data.seek(s.dataPosition());
        // the status goes back with the run, or it would report the skipped steps as done
        board.figures(board.figures().reloaded(progress.step(), data.epoch(), s.loss()));
    }

    private boolean giveUpRecovering() throws IOException {
        String why = MAX_RELOADS + " recoveries in a row, down to x" + progress.lrScale() + " the rate, brought no finite step:"
                + " the rate is not the cause (in use: " + Equipment.describe(equipment.optimizerName(), equipment.optimizer())
                + ", activation '" + equipment.activationName() + "'" + bundleNote(activations
                .apply(equipment.activationName())) + ")";
        reloadsInARow = 0;
        progress.restoreRate(scaleBeforeReloads);
        return backToActivationBefore(why, " at the rate before");
    }

    private static String bundleNote(Object plugin) {
        String bundle = PluginFault.bundleOf(plugin);
        return bundle == null ? "" : " (bundle " + bundle + ")";
    }
}
