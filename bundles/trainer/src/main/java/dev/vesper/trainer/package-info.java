/**
 * The training service ({@link dev.vesper.trainer.TrainerService}, registered as
 * {@code dev.vesper.api.train.TrainingService}). Not exported: everything is reached through the API.
 *
 * <h2>A job</h2>
 * {@code start} validates the configuration (an {@code IllegalArgumentException} names the option) and,
 * with {@code --resume} or a checkpoint as {@code --model}, loads and checks the checkpoint there and then
 * (its optimizer and activation must be installed); the rest (tokenizer, token
 * cache, model) is prepared on the job's own daemon thread. Each optimizer step runs the micro-batches
 * (gradient of the mean loss over all of them), clips the global gradient norm, steps the optimizer
 * with {@code StepContext(lr, loss, entropy)} and calls {@code model.afterStep()} (a skipped step calls
 * {@code model.afterSkippedStep()} instead, so that it leaves no trace). Dropout seeds derive
 * from (seed, step, micro-batch), so there is no random state beside the sampler's position.
 *
 * <h2>Run directory</h2>
 * {@code TrainingConfig.out()}, or {@code runs/<yyyyMMdd-HHmmss>-<id>} under the working directory:
 * {@code metrics.jsonl} (one JSON object per line: {@code "type":"step"} with step, epoch, loss,
 * perplexity, entropy, lr, beta1, skipped_fraction, grad_norm, ms_per_step, tokens_per_s, skipped;
 * {@code "type":"eval"} with val_loss, val_perplexity, tokens; and notes: switch, refused, unchanged,
 * waiting, skip, recover, fault, checkpoint, resume, notice, failed), {@code chart.png}, {@code tokenizer.json} and
 * {@code checkpoints/step-NNNNNNNN/} (spec section 7, the newest {@code keepCheckpoints} of this job;
 * never a directory that exists already). Trained BPE tokenizers and token caches are kept in
 * {@code .vesper-cache/} beside the run directory and reused by later runs on the same data (not
 * {@code .cache/}, which beside a run in the home folder would be the user's own cache). A new run that
 * fails before its first step (bad data, a wrong option) removes what it wrote there, so the same
 * {@code --out} can be given again.
 *
 * <h2>Schedule</h2>
 * {@code cosine}: a linear warmup, then cosine decay to {@code lr · minLearningRateFraction} at the last
 * step; {@code constant}: the rate throughout, no warmup. The default warmup (50 steps) is capped at a
 * third of a shorter run (20 steps: 6), so that a short run is not all warmup; runs of 150 steps or more,
 * the main job's 300 among them, keep all 50. A warmup that was set ({@code --warmup 50} included) is
 * kept, up to the whole run (a {@code notice} says so). The job's configuration and {@code trainer.json} hold the
 * warmup used (0 with {@code constant}), and a resumed run keeps it.
 *
 * <h2>Resume</h2>
 * A resumed run takes from the checkpoint everything that shapes its trajectory: model and weights,
 * tokenizer, data, batch, seq, accumulation, optimizer (the one in use when it was written) and its
 * options and state, activation, schedule, learning rate and warmup, clipping, seed, data position,
 * the rate scale left by fault recovery and the validation history. From the caller's configuration it
 * takes the length ({@code steps}/{@code epochs}), the evaluation, checkpoint and early-stopping
 * settings and the output directory. So {@code --resume <dir> --steps 1200} continues a run to 1,200
 * steps; N steps, then a resume, then N more equal 2N steps bit for bit. A run setting given with
 * {@code --resume} ({@code TrainingConfig.given()}) that differs from the checkpoint's is refused rather
 * than ignored, naming both values; the optimizer and the activation can be switched once the resumed
 * run goes on. A longer run stretches the cosine schedule over its new length, and says so.
 * {@code trainer.json} keeps the data's fingerprint too: a resume on data that changed since goes on
 * from the same position and says that it will not repeat the run it continues.
 *
 * <h2>Switching and waiting</h2>
 * {@code useOptimizer}/{@code useActivation} check that the name is installed (else
 * {@code IllegalArgumentException}) and act at the next step boundary. An optimizer switch carries the
 * moments over with {@code exportState}/{@code importState}; if the new optimizer refuses them
 * ({@code IncompatibleStateException}) the switch is refused and the run goes on with the current
 * optimizer, the status message saying why, unless {@code useOptimizer(name, true)} asked for fresh
 * state. An activation switch builds a model with the new activation and the current weights. Asking for
 * the optimizer or activation in use changes nothing and says so ({@code unchanged}). Each request ends
 * in one outcome, {@code switch}, {@code refused} or {@code unchanged}: a note, the status message (which
 * it replaces, so an earlier refusal does not outlive the next request) and an {@code onStateChange} to
 * the listeners. When the
 * job's optimizer or activation service goes away the job goes to {@code WAITING} with a message and
 * goes on, with the optimizer state it kept, when a service of that name is back (a new bundle of the
 * same name is used at once; so is a new optimizer name).
 *
 * <h2>Faults</h2>
 * A step whose loss or gradient norm is not finite is skipped (weights untouched, a {@code skip} note,
 * {@code StepEvent.skipped()}). After {@code maxBadSteps} in a row the job reloads its newest checkpoint
 * and halves the learning rate (only halves it when there is no checkpoint yet). When three such
 * recoveries in a row bring no finite step, the rate is not the cause: the job goes back to the
 * activation it had before its last switch, at the rate it had, or else stops with a checkpoint.
 * <p>
 * A step that throws in a plug-in (found on the exception's stack: the activation's or the
 * optimizer's class) is a {@code fault} note. An activation cannot have touched the weights: the job
 * goes back to the activation it had before the switch, or else stops with a checkpoint of the last
 * good step. An optimizer's update may have changed weights part-way, so the job ends as
 * {@code FAILED}, naming the optimizer and the checkpoint to resume from. Anything else thrown on the
 * job's thread ends that job as {@code FAILED} with the message; listeners that throw are logged once
 * and otherwise ignored.
 */
package dev.vesper.trainer;
