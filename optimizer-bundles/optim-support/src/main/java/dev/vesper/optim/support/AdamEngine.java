package dev.vesper.optim.support;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state and the step of the Adam family (AdamW and Velvet): first and second moments for every
 * trainable parameter, the step count t, the running product {@code c_t = Π β1_s} of the β1 applied
 * at each step, and the {@link RunningMeans} of loss and entropy.
 *
 * <p>{@link #update} is one fused pass per parameter tensor (spec section 5):
 * <pre>
 *   p ← p·(1 − lr·wd)                      (only parameters the {@link DecayPolicy} selects)
 *   m ← β1·m + (1−β1)·g ;  v ← β2·v + (1−β2)·g²
 *   m̂ = m / (1 − c_t) ;    v̂ = v / (1 − β2^t)
 *   p ← p − lr · m̂ / (sqrt(v̂) + ε)
 * </pre>
 * With a constant β1, {@code c_t = β1^t} and this is exactly {@code torch.optim.AdamW}. Bias
 * correction divides by the running product rather than by {@code β1^t} because only the product
 * removes the bias of moments accumulated under a varying β1 (Velvet's {@code perplexity_guided});
 * it is carried through export and import, so a state moved between AdamW and Velvet keeps a
 * consistent correction in both directions.
 *
 * <p>Large tensors are cut into chunks of 32768 elements that up to {@link AdamSettings#threads()}
 * threads (the caller and common-pool workers) claim in turn. Every element's update depends only on
 * its own values, so the result is the same bits whatever the thread count or interleaving. After
 * construction a step allocates nothing: the chunk plan, the coefficients and the worker tasks are
 * reused.
 *
 * <p>A trainable parameter is stepped when its tensor still requires a gradient and has a gradient
 * array; one without (like {@code grad is None} in torch) is left untouched and counted as skipped.
 * Not thread-safe: one caller steps it at a time.
 */
public final class AdamEngine {
    static final int CHUNK = 1 << 15;
    private static final long PARALLEL_MIN = 1 << 16;

    private final AdamSettings settings;
    private final Parameter[] params;
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final boolean[] decays;
    private final boolean[] active;
    private final long trainableElements;
    private final int[] chunkParam;
    private final int[] chunkFrom;
    private final int[] chunkTo;
    private final int[] chunkSkipped;
    private final AdamCoefficients coefficients = new AdamCoefficients();
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final Worker[] workers;
    private final RunningMeans means;

    private long step;
    private double beta1Product = 1.0;
    private double lastLr;
    private double lastBeta1;
    private double lastSkippedFraction;
    private StepStats lastStats = StepStats.NONE;
    private boolean statsStale;

    /**
     * @param parameters all of the model's parameters; those whose tensor requires a gradient now
     *     are the ones this engine steps
     * @throws IllegalArgumentException for two trainable parameters of the same name, or a decay glob
     *     that matches no parameter
     */
    public AdamEngine(List<Parameter> parameters, AdamSettings settings) {
        this.settings = settings;
        settings.decay().requireMatches(parameters);
        List<Parameter> trainable = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            if (p.trainable()) {
                if (!names.add(p.name())) {
                    throw new IllegalArgumentException("two trainable parameters are named '" + p.name() + "'");
                }
                trainable.add(p);
            }
        }
        int n = trainable.size();
        this.params = trainable.toArray(new Parameter[0]);
        this.expAvg = new float[n][];
        this.expAvgSq = new float[n][];
        this.decays = new boolean[n];
        this.active = new boolean[n];
        long elements = 0;
        int chunks = 0;
        for (int i = 0; i < n; i++) {
            int size = params[i].value().size();
            expAvg[i] = new float[size];
            expAvgSq[i] = new float[size];
            decays[i] = settings.decay().decays(params[i]);
            elements += size;
            chunks += Math.max(1, (size + CHUNK - 1) / CHUNK);
        }
        this.trainableElements = elements;
        this.chunkParam = new int[chunks];
        this.chunkFrom = new int[chunks];
        this.chunkTo = new int[chunks];
        this.chunkSkipped = new int[chunks];
        int c = 0;
        for (int i = 0; i < n; i++) {
            int size = params[i].value().size();
            int from = 0;
            do {
                chunkParam[c] = i;
                chunkFrom[c] = from;
                chunkTo[c] = Math.min(size, from + CHUNK);
                from = chunkTo[c++];
            } while (from < size);
        }
        this.workers = new Worker[settings.threads() - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
        }
        this.means = new RunningMeans(settings.ema());
    }

    public AdamSettings settings() { return settings; }

    /** The steps taken so far (t after the last step). */
    public long step() { return step; }

    /** {@code c_t}, the product of the β1 applied so far (1 before the first step). */
    public double beta1Product() { return beta1Product; }

    /** The running means of loss and entropy; the optimizer primes and updates them. */
    public RunningMeans means() { return means; }

    /** The names of the parameters this engine steps, in order. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>(params.length);
        for (Parameter p : params) {
            names.add(p.name());
        }
        return names;
    }

    /** The number of elements over all stepped parameters. */
    public long trainableElements() { return trainableElements; }

    /** Whether the Vector API kernel is in use. */
    public boolean vectorized() { return settings.vector() && AdamKernel.vectorized(); }

    /**
     * One step over every trainable parameter with this step's effective learning rate and β1.
     *
     * @param sparse skip elements whose gradient satisfies {@code |g| <= tau}
     * @throws IllegalArgumentException for a negative or non-finite learning rate, β1 outside [0, 1)
     *     or a negative τ; nothing has changed then
     */
    public void update(double lr, double beta1, boolean sparse, double tau) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (sparse && !(tau >= 0)) {
            throw new IllegalArgumentException("sparse threshold tau must be >= 0, got " + tau);
        }
        long t = step + 1;
        double product = beta1Product * beta1;
        coefficients.set(lr, beta1, settings.beta2(), settings.eps(), settings.weightDecay(), product, t, sparse, tau);
        for (int i = 0; i < params.length; i++) {
            Tensor value = params[i].value();
            active[i] = value.requiresGrad() && value.hasGrad();
        }
        runChunks();
        long skipped = 0;
        for (int c = 0; c < chunkSkipped.length; c++) {
            skipped += chunkSkipped[c];
        }
        step = t;
        beta1Product = product;
        lastLr = lr;
        lastBeta1 = beta1;
        lastSkippedFraction = trainableElements == 0 ? 0 : (double) skipped / trainableElements;
        statsStale = true;
    }

    /** What the last {@link #update} did; {@link StepStats#NONE} before the first. */
    public StepStats lastStats() {
        if (statsStale) {
            // built here rather than in update(), so that a step allocates nothing
            lastStats = new StepStats(step, lastLr, lastBeta1, lastSkippedFraction);
            statsStale = false;
        }
        return lastStats;
    }

    private void runChunks() {
        nextChunk.set(0);
        if (workers.length == 0 || trainableElements < PARALLEL_MIN) {
            drain();
            return;
        }
        for (Worker w : workers) {
            w.reinitialize();
            w.fork();
        }
        Throwable failure = null;
        try {
            drain();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // a worker that no pool thread has picked up yet is taken back rather than waited for: the
        // chunks are all done, and a busy common pool must not stall the step
        for (int i = workers.length - 1; i >= 0; i--) {
            Worker w = workers[i];
            try {
                if (!w.tryUnfork()) {
                    w.join();
                }
            } catch (RuntimeException | Error e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    private void drain() {
        int c;
        while ((c = nextChunk.getAndIncrement()) < chunkParam.length) {
            runChunk(c);
        }
    }

    private void runChunk(int c) {
        int i = chunkParam[c];
        if (!active[i]) {
            chunkSkipped[c] = chunkTo[c] - chunkFrom[c];
            return;
        }
        Tensor value = params[i].value();
        float decay = decays[i] ? coefficients.decayFactor : 1f;
        chunkSkipped[c] = AdamKernel.update(coefficients, decay, value.data(), value.offset(), value.grad(),
                expAvg[i], expAvgSq[i], chunkFrom[c], chunkTo[c], settings.vector());
    }

    /** A worker that claims chunks until none is left; reused every step. */
    private final class Worker extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        @Override
        protected void compute() {
            drain();
        }
    }

    /**
     * The state named as in {@link StateKeys}: moments copied, step, {@code c_t}, running means, and
     * {@code hyperparameters} as JSON.
     */
    public OptimizerState exportState(String optimizer, Map<String, Object> hyperparameters) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) {
            tensors.put(StateKeys.expAvg(params[i].name()), expAvg[i].clone());
            tensors.put(StateKeys.expAvgSq(params[i].name()), expAvgSq[i].clone());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(StateKeys.OPTIMIZER, optimizer);
        metadata.put(StateKeys.STEP, Long.toString(step));
        metadata.put(StateKeys.BETA1_PRODUCT, Double.toString(beta1Product));
        metadata.put(StateKeys.MEANS_INITIALISED, Boolean.toString(means.initialised()));
        metadata.put(StateKeys.LOSS_MEAN, Double.toString(means.loss()));
        metadata.put(StateKeys.ENTROPY_MEAN, Double.toString(means.entropy()));
        metadata.put(StateKeys.HYPERPARAMETERS, Json.object(hyperparameters));
        return new OptimizerState(optimizer, step, tensors, metadata);
    }

    /**
     * Takes a state exported by AdamW or Velvet: moments, step count, {@code c_t} and running means.
     * A state without {@link StateKeys#BETA1_PRODUCT} gets {@code c_t = β1^t} with this engine's β1
     * (what AdamW would have accumulated); one without running means leaves them to initialise at the
     * next step. Hyperparameters stay this engine's own. Everything is checked before anything is
     * changed.
     *
     * @param importer the importing optimizer's name, for messages
     * @throws IncompatibleStateException naming the optimizer, tensor or metadata key at fault
     */
    public void importState(String importer, OptimizerState state) {
        if (state == null) {
            throw new IncompatibleStateException(importer + ": no optimizer state to import");
        }
        if (!StateKeys.ADAM_FAMILY.contains(state.optimizer())) {
            throw new IncompatibleStateException(importer + " cannot import the state of optimizer '"
                    + state.optimizer() + "': only " + StateKeys.ADAM_FAMILY + " states carry Adam moments");
        }
        if (state.step() < 0) {
            throw new IncompatibleStateException(importer + ": state step count is negative (" + state.step() + ")");
        }
        Map<String, float[]> tensors = state.tensors();
        Set<String> expected = new HashSet<>();
        for (Parameter p : params) {
            expected.add(StateKeys.expAvg(p.name()));
            expected.add(StateKeys.expAvgSq(p.name()));
            requireTensor(importer, tensors, StateKeys.expAvg(p.name()), p);
            requireTensor(importer, tensors, StateKeys.expAvgSq(p.name()), p);
        }
        for (String name : tensors.keySet()) {
            if (!expected.contains(name)) {
                throw new IncompatibleStateException(importer + ": state tensor '" + name
                        + "' belongs to no trainable parameter of this optimizer");
            }
        }
        Map<String, String> metadata = state.metadata();
        double product = metadata.containsKey(StateKeys.BETA1_PRODUCT)
                ? readDouble(importer, metadata, StateKeys.BETA1_PRODUCT)
                : power(settings.beta1(), state.step());
        if (!(product >= 0 && product <= 1)) {
            throw new IncompatibleStateException(importer + ": state metadata '" + StateKeys.BETA1_PRODUCT
                    + "' must be in [0, 1], got " + product);
        }
        boolean initialised = Boolean.parseBoolean(metadata.getOrDefault(StateKeys.MEANS_INITIALISED, "false").trim());
        double loss = initialised ? readDouble(importer, metadata, StateKeys.LOSS_MEAN) : 0;
        double entropy = initialised ? readDouble(importer, metadata, StateKeys.ENTROPY_MEAN) : 0;

        for (int i = 0; i < params.length; i++) {
            System.arraycopy(tensors.get(StateKeys.expAvg(params[i].name())), 0, expAvg[i], 0, expAvg[i].length);
            System.arraycopy(tensors.get(StateKeys.expAvgSq(params[i].name())), 0, expAvgSq[i], 0, expAvgSq[i].length);
        }
        step = state.step();
        beta1Product = product;
        means.restore(loss, entropy, initialised);
    }

    private static void requireTensor(String importer, Map<String, float[]> tensors, String name, Parameter p) {
        float[] t = tensors.get(name);
        if (t == null) {
            throw new IncompatibleStateException(importer + ": state has no tensor '" + name + "' for parameter "
                    + p.name() + p.value().shapeString());
        }
        if (t.length != p.value().size()) {
            throw new IncompatibleStateException(importer + ": state tensor '" + name + "' has " + t.length
                    + " values, parameter " + p.name() + p.value().shapeString() + " has " + p.value().size());
        }
    }

    private static double readDouble(String importer, Map<String, String> metadata, String key) {
        String text = metadata.get(key);
        try {
            double d = Double.parseDouble(text == null ? "" : text.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IncompatibleStateException(importer + ": state metadata '" + key + "' must be a finite number, got "
                + (text == null ? "nothing" : "'" + text + "'"));
    }

    /** {@code β^t} accumulated by multiplication, as the running product of an AdamW run would be. */
    static double power(double beta, long t) {
        double p = 1.0;
        for (long s = 0; s < t; s++) {
            p *= beta;
            if (p == 0) {
                break;
            }
        }
        return p;
    }
}
