package dev.vesper.examples.lion.internal;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lion (EvoLved Sign Momentum; Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2), per element:
 * <pre>
 *   c ← β1·m + (1−β1)·g          interpolated momentum, used only for the sign
 *   p ← p·(1 − lr·wd)            decoupled weight decay (parameters the settings select)
 *   p ← p − lr·sign(c)
 *   m ← β2·m + (1−β2)·g          the momentum itself tracks the gradient with β2
 * </pre>
 * One state tensor per parameter (half of Adam's), no ε and no bias correction: every element moves
 * by exactly {@code lr} (or not at all where {@code c = 0}), which is why Lion wants a smaller rate.
 *
 * <p><b>State.</b> The momentum is exported as {@code {param}.exp_avg}, the spec's name for an EMA of
 * the gradient. Import takes any state in that naming, Lion's own or AdamW's and Velvet's: their
 * first moment is also an EMA of the gradient, without bias correction, which is what {@code m} is
 * here (Adam's decays faster, β1 0.9 against 0.99, but only its direction matters to the sign). Their
 * {@code {param}.exp_avg_sq} second moments are ignored, Lion has no use for them. Anything else
 * (a missing or mis-sized {@code exp_avg}, a tensor of no trainable parameter, non-finite values) is
 * refused with an {@link IncompatibleStateException} naming the tensor, and nothing changes. The step
 * count is carried over. The reverse switch, Lion to AdamW, is refused by AdamW (no second moments);
 * a job can take it with fresh state.
 *
 * <p>A parameter without a gradient array is left untouched and counted in the skipped fraction.
 * The step allocates nothing. Not thread-safe, like every {@link Optimizer}.
 */
final class Lion implements Optimizer {
    static final String EXP_AVG = ".exp_avg";
    static final String EXP_AVG_SQ = ".exp_avg_sq";

    private final LionSettings settings;
    private final Parameter[] params;
    private final float[][] momentum;
    private final boolean[] decays;
    private final long elements;
    private long step;
    private double lastLr = Double.NaN;
    private double lastSkippedFraction;

    Lion(List<Parameter> parameters, LionSettings settings) {
        this.settings = settings;
        List<Parameter> trainable = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            if (p.trainable()) {
                if (!names.add(p.name())) {
                    throw new IllegalArgumentException("optimizer lion: two trainable parameters are named '"
                            + p.name() + "'");
                }
                trainable.add(p);
            }
        }
        this.params = trainable.toArray(new Parameter[0]);
        this.momentum = new float[params.length][];
        this.decays = new boolean[params.length];
        long n = 0;
        for (int i = 0; i < params.length; i++) {
            momentum[i] = new float[params[i].value().size()];
            decays[i] = settings.decays(params[i].decay());
            n += params[i].value().size();
        }
        this.elements = n;
    }

    @Override
    public String name() {
        return LionSettings.NAME;
    }

    @Override
    public void step(StepContext context) {
        double lr = Double.isNaN(context.learningRate()) ? settings.lr() : context.learningRate();
        long skipped = 0;
        for (int i = 0; i < params.length; i++) {
            Tensor t = params[i].value();
            if (!t.requiresGrad() || !t.hasGrad()) {
                skipped += t.size();
                continue;
            }
            double keep = decays[i] ? 1 - lr * settings.weightDecay() : 1;
            update(t.data(), t.offset(), t.grad(), momentum[i], t.size(), (float) lr, (float) keep);
        }
        step++;
        lastLr = lr;
        lastSkippedFraction = elements == 0 ? 0 : (double) skipped / elements;
    }

    /** The fused per-element update of one tensor: interpolate, decay, signed step, then the momentum. */
    private void update(float[] p, int offset, float[] g, float[] m, int n, float lr, float keep) {
        float b1 = (float) settings.beta1();
        float c1 = (float) (1 - settings.beta1());
        float b2 = (float) settings.beta2();
        float c2 = (float) (1 - settings.beta2());
        for (int j = 0; j < n; j++) {
            float gj = g[j];
            float mj = m[j];
            float c = b1 * mj + c1 * gj;
            p[offset + j] = p[offset + j] * keep - lr * Math.signum(c);
            m[j] = b2 * mj + c2 * gj;
        }
    }

    @Override
    public StepStats lastStats() {
        // built on demand, so that step() itself allocates nothing
        return Double.isNaN(lastLr) ? StepStats.NONE
                : new StepStats(step, lastLr, settings.beta1(), lastSkippedFraction);
    }

    @Override
    public OptimizerState exportState() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) {
            tensors.put(params[i].name() + EXP_AVG, momentum[i].clone());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("vesper.optimizer", LionSettings.NAME);
        metadata.put("vesper.optimizer.step", Long.toString(step));
        metadata.putAll(settings.describe());
        return new OptimizerState(LionSettings.NAME, step, tensors, metadata);
    }

    @Override
    public void importState(OptimizerState state) {
        if (state == null) {
            throw new IncompatibleStateException("lion: no optimizer state to import");
        }
        if (state.step() < 0) {
            throw new IncompatibleStateException("lion: state of '" + state.optimizer() + "' has a negative step count ("
                    + state.step() + ")");
        }
        Map<String, float[]> tensors = state.tensors();
        Set<String> known = new HashSet<>();
        for (Parameter p : params) {
            String name = p.name() + EXP_AVG;
            known.add(name);
            known.add(p.name() + EXP_AVG_SQ);
            requireMomentum(state, name, p);
        }
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new IncompatibleStateException("lion: state tensor '" + e.getKey() + "' of optimizer '"
                        + state.optimizer() + "' belongs to no trainable parameter (Lion takes {param}" + EXP_AVG
                        + " and ignores {param}" + EXP_AVG_SQ + ")");
            }
        }
        for (int i = 0; i < params.length; i++) {
            System.arraycopy(tensors.get(params[i].name() + EXP_AVG), 0, momentum[i], 0, momentum[i].length);
        }
        step = state.step();
    }

    private static void requireMomentum(OptimizerState state, String name, Parameter p) {
        float[] t = state.tensors().get(name);
        if (t == null) {
            throw new IncompatibleStateException("lion: state of optimizer '" + state.optimizer() + "' has no tensor '"
                    + name + "' for parameter " + p);
        }
        if (t.length != p.value().size()) {
            throw new IncompatibleStateException("lion: state tensor '" + name + "' has " + t.length
                    + " values, parameter " + p + " has " + p.value().size());
        }
        for (int j = 0; j < t.length; j++) {
            if (!Float.isFinite(t[j])) {
                throw new IncompatibleStateException("lion: state tensor '" + name + "' holds " + t[j] + " at index " + j);
            }
        }
    }

    @Override
    public String toString() {
        return "lion(lr " + settings.lr() + ", beta1 " + settings.beta1() + ", beta2 " + settings.beta2()
                + ", weight_decay " + settings.weightDecay() + ", decay " + settings.decay() + ")";
    }
}
