package dev.vesper.optim.support;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Names in an exported optimizer state (spec section 7). Tensors: {@code {param}.exp_avg} and
 * {@code {param}.exp_avg_sq} for every trainable parameter. Metadata (strings; doubles written with
 * {@link Double#toString}, which reads back to the same bits):
 *
 * <ul>
 *   <li>{@value #OPTIMIZER}: {@code adamw} or {@code velvet}; {@value #STEP}: the step count t;</li>
 *   <li>{@value #BETA1_PRODUCT}: {@code c_t = Π β1_s}, the running product of the β1 applied at each
 *       step, which bias correction divides by ({@code 1 − c_t}); for AdamW it is {@code β1^t};</li>
 *   <li>{@value #LOSS_MEAN}, {@value #ENTROPY_MEAN}, {@value #MEANS_INITIALISED}: the running means
 *       {@code L̄}, {@code H̄} and whether they hold a value yet;</li>
 *   <li>{@value #HYPERPARAMETERS}: the exporter's options as JSON, for the record. Importing does not
 *       apply them: the importing optimizer keeps its own configuration.</li>
 * </ul>
 */
public final class StateKeys {
    public static final String OPTIMIZER = "vesper.optimizer";
    public static final String STEP = "vesper.optimizer.step";
    public static final String BETA1_PRODUCT = "vesper.optimizer.beta1_product";
    public static final String LOSS_MEAN = "vesper.optimizer.loss_ema";
    public static final String ENTROPY_MEAN = "vesper.optimizer.entropy_ema";
    public static final String MEANS_INITIALISED = "vesper.optimizer.ema_initialised";
    public static final String HYPERPARAMETERS = "vesper.optimizer.hyper";

    public static final String EXP_AVG = ".exp_avg";
    public static final String EXP_AVG_SQ = ".exp_avg_sq";

    /**
     * Optimizers whose states carry Adam moments that AdamW and Velvet can take, in a fixed order: a
     * refusal lists them, and {@code Set.of}'s order changes from one JVM to the next.
     */
    public static final Set<String> ADAM_FAMILY =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("adamw", "velvet")));

    private StateKeys() {
    }

    public static String expAvg(String parameter) {
        return parameter + EXP_AVG;
    }

    public static String expAvgSq(String parameter) {
        return parameter + EXP_AVG_SQ;
    }
}
