package dev.vesper.optim.support;

import dev.vesper.api.optim.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyperparameters AdamW and Velvet share, with the defaults of spec section 5, and how they are
 * read from options. Immutable; {@code with...} methods return modified copies.
 */
public final class AdamSettings {
    public static final String LR = "lr";
    public static final String BETA1 = "beta1";
    public static final String BETA2 = "beta2";
    public static final String EPS = "eps";
    public static final String WEIGHT_DECAY = "weight_decay";
    public static final String DECAY = "decay";
    /** Threads a step may use (default: the available processors). */
    public static final String THREADS = "threads";

    /** Decay of the running means of loss and entropy (spec section 5). */
    public static final double DEFAULT_EMA = 0.98;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final DecayPolicy decay;
    private final int threads;
    private final double ema;
    private final boolean vector;

    private AdamSettings(double lr, double beta1, double beta2, double eps, double weightDecay, DecayPolicy decay,
                         int threads, double ema, boolean vector) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decay = decay;
        this.threads = threads;
        this.ema = ema;
        this.vector = vector;
    }

    /** lr 3e-4, β1 0.9, β2 0.999, ε 1e-8, wd 0.01 on matrices, EMA 0.98, every processor. */
    public static AdamSettings defaults() {
        return new AdamSettings(3e-4, 0.9, 0.999, 1e-8, 0.01, DecayPolicy.matrices(),
                Runtime.getRuntime().availableProcessors(), DEFAULT_EMA, true);
    }

    /**
     * Reads {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay}, {@code decay}
     * and {@code threads}, rejecting values out of range with the option's name.
     */
    public static AdamSettings read(OptionReader r) {
        AdamSettings d = defaults();
        double lr = r.nonNegative(LR, d.lr);
        double beta1 = r.range(BETA1, d.beta1, 0, 1, false);
        double beta2 = r.range(BETA2, d.beta2, 0, 1, false);
        double eps = r.positive(EPS, d.eps);
        double wd = r.nonNegative(WEIGHT_DECAY, d.weightDecay);
        DecayPolicy decay;
        try {
            decay = DecayPolicy.parse(r.text(DECAY, DecayPolicy.MATRICES));
        } catch (IllegalArgumentException e) {
            throw r.bad(DECAY, e.getMessage());
        }
        int threads = r.integer(THREADS, d.threads);
        if (threads < 1) {
            throw r.bad(THREADS, "must be >= 1, got " + threads);
        }
        return new AdamSettings(lr, beta1, beta2, eps, wd, decay, threads, d.ema, d.vector);
    }

    public double lr() { return lr; }

    public double beta1() { return beta1; }

    public double beta2() { return beta2; }

    public double eps() { return eps; }

    public double weightDecay() { return weightDecay; }

    public DecayPolicy decay() { return decay; }

    public int threads() { return threads; }

    public double ema() { return ema; }

    /** Whether the Vector API kernel may be used (when present); false forces the scalar loop. */
    public boolean vector() { return vector; }

    public AdamSettings withLr(double v) {
        return new AdamSettings(v, beta1, beta2, eps, weightDecay, decay, threads, ema, vector);
    }

    public AdamSettings withBetas(double b1, double b2) {
        return new AdamSettings(lr, b1, b2, eps, weightDecay, decay, threads, ema, vector);
    }

    public AdamSettings withWeightDecay(double wd, DecayPolicy policy) {
        return new AdamSettings(lr, beta1, beta2, eps, wd, policy, threads, ema, vector);
    }

    public AdamSettings withThreads(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + v);
        }
        return new AdamSettings(lr, beta1, beta2, eps, weightDecay, decay, v, ema, vector);
    }

    public AdamSettings withEma(double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("ema must be in [0, 1), got " + v);
        }
        return new AdamSettings(lr, beta1, beta2, eps, weightDecay, decay, threads, v, vector);
    }

    public AdamSettings withVector(boolean v) {
        return new AdamSettings(lr, beta1, beta2, eps, weightDecay, decay, threads, ema, v);
    }

    /**
     * The learning rate of a step: the trainer's scheduled rate ({@link StepContext#learningRate()}),
     * or the {@code lr} option when the context leaves it out (NaN).
     *
     * @throws IllegalArgumentException for a negative or infinite rate
     */
    public double learningRate(StepContext context) {
        double scheduled = context.learningRate();
        double rate = Double.isNaN(scheduled) ? lr : scheduled;
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + rate);
        }
        return rate;
    }

    /** The hyperparameters by option name, as exported with the state. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LR, lr);
        m.put(BETA1, beta1);
        m.put(BETA2, beta2);
        m.put(EPS, eps);
        m.put(WEIGHT_DECAY, weightDecay);
        m.put(DECAY, decay.spec());
        return m;
    }

    @Override
    public String toString() {
        return describe().toString();
    }
}
