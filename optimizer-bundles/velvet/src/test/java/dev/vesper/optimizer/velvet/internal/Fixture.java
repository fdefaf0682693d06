package dev.vesper.optimizer.velvet.internal;

import dev.vesper.api.optim.LearningRateSchedule;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.optim.support.Schedules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small model-like parameter set with deterministic gradients and step contexts: an embedding
 * whose absent rows get zero gradients, a matrix, a norm, a tensor large enough to be stepped in
 * parallel chunks, and a frozen matrix.
 */
final class Fixture {
    static final LearningRateSchedule SCHEDULE = Schedules.warmupCosine(1e-2, 5, 400, 1e-3);

    private Fixture() {
    }

    static List<Parameter> model(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Parameter> ps = new ArrayList<>();
        ps.add(param("tok_embeddings.weight", r, false, 64, 16));
        ps.add(param("layers.0.attn.wq.weight", r, true, 16, 16));
        ps.add(param("layers.0.attn_norm.weight", r, false, 16));
        ps.add(param("layers.0.attn_norm.bias", r, false, 16));
        ps.add(param("layers.0.ffn.w1.weight", r, true, 300, 257));
        Parameter frozen = param("layers.0.ffn.w1.lora_a", r, true, 8, 8);
        frozen.value().requiresGrad(false);
        ps.add(frozen);
        return ps;
    }

    private static Parameter param(String name, SplittableRandom r, boolean decay, int... shape) {
        Tensor t = Tensor.zeros(shape).requiresGrad(true);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (r.nextGaussian() * 0.1));
        }
        return new Parameter(name, t, decay);
    }

    /** Gradients for step {@code step}: Gaussian, about a fifth exactly zero, embedding rows mostly absent. */
    static void gradients(List<Parameter> ps, long step) {
        for (int k = 0; k < ps.size(); k++) {
            Tensor t = ps.get(k).value();
            if (!t.requiresGrad()) {
                continue;
            }
            SplittableRandom r = new SplittableRandom(step * 1009 + k);
            float[] g = t.grad();
            boolean embedding = ps.get(k).name().startsWith("tok_embeddings");
            int row = t.rank() >= 2 ? t.dim(-1) : t.size();
            for (int i = 0; i < t.size(); i++) {
                boolean absent = embedding ? (i / row) % 4 != step % 4 : r.nextInt(5) == 0;
                g[i] = absent ? 0f : (float) (r.nextGaussian() * (0.01 + 0.05 * (k % 3)));
            }
        }
    }

    static StepContext context(long step) {
        double loss = 4.0 - 0.004 * step + 0.3 * Math.sin(step * 0.9);
        double entropy = 4.5 - 0.003 * step + 0.4 * Math.cos(step * 0.7);
        return new StepContext(SCHEDULE.at(step), loss, entropy);
    }

    /** Steps {@code from..to} inclusive (step numbers count from 1). */
    static void run(Optimizer opt, List<Parameter> ps, long from, long to) {
        for (long s = from; s <= to; s++) {
            gradients(ps, s);
            opt.step(context(s));
        }
    }

    static List<float[]> values(List<Parameter> ps) {
        List<float[]> v = new ArrayList<>();
        for (Parameter p : ps) {
            v.add(p.value().toArray());
        }
        return v;
    }

    /** True when every element has the same bits. */
    static boolean sameBits(List<float[]> a, List<float[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            if (x.length != y.length) {
                return false;
            }
            for (int j = 0; j < x.length; j++) {
                if (Float.floatToRawIntBits(x[j]) != Float.floatToRawIntBits(y[j])) {
                    return false;
                }
            }
        }
        return true;
    }
}
