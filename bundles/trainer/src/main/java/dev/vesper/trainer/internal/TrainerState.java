package dev.vesper.trainer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vesper.api.train.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code trainer.json} (spec section 7): where the run stands (step, epoch, data
 * position), how its randomness is derived, its schedule, its validation history, and the run
 * settings it was started with.
 *
 * <p>The trainer keeps no mutable random generator: dropout seeds derive from (seed, step, micro-batch)
 * and the data position is the sampler's, so the seed and the two positions restore every draw.
 */
public record TrainerState(long step, long epoch, long dataPosition, long totalSteps, double lrScale,
                           String optimizer, String activation, double loss,
                           List<ConvergenceTracker.Point> evals, int sinceImprovement,
                           Map<String, Object> config, String dataFingerprint) {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson(long bestStep, double best, long convergenceStep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("step", step);
        m.put("epoch", epoch);
        m.put("data_position", dataPosition);
        long seed = ((Number) config.get("seed")).longValue();
        m.put("rng", Map.of("seed", seed, "dropout", "splitmix64(seed, step) per step, then per micro-batch",
                "train_sampler", "seed, seeked to data_position", "validation_sampler", "seed + 1, rewound per eval"));
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("name", config.get("schedule"));
        schedule.put("lr", config.get("lr"));
        schedule.put("warmup", config.get("warmup"));
        schedule.put("min_lr_fraction", config.get("min_lr_fraction"));
        schedule.put("total_steps", totalSteps);
        schedule.put("lr_scale", lrScale);
        m.put("schedule", schedule);
        m.put("optimizer", optimizer);
        m.put("activation", activation);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("loss", Double.isFinite(loss) ? loss : null);
        metrics.put("best_val_loss", Double.isFinite(best) ? best : null);
        metrics.put("best_val_step", bestStep);
        metrics.put("convergence_step", convergenceStep);
        List<List<Object>> e = new ArrayList<>();
        for (ConvergenceTracker.Point p : evals) {
            e.add(List.of(p.step(), Double.isFinite(p.loss()) ? p.loss() : "NaN"));
        }
        metrics.put("evals", e);
        metrics.put("evals_since_improvement", sinceImprovement);
        m.put("metrics", metrics);
        m.put("config", config);
        if (dataFingerprint != null) {
            m.put("data", Map.of("fingerprint", dataFingerprint));
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write trainer.json: " + ex.getMessage(), ex);
        }
    }

    /** @throws IllegalArgumentException naming {@code source} and the field at fault */
    @SuppressWarnings("unchecked")
    public static TrainerState parse(String json, String source) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (m == null) {
            throw new IllegalArgumentException(source + ": expected an object, got null");
        }
        try {
            return read(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every field a resumed run goes on from, checked here: a wrong one would otherwise fail the run later (a
     * negative step, a zero rate scale) with a message that does not name this file.
     */
    private static TrainerState read(Map<String, Object> m) {
        StoredFields f = StoredFields.of(m);
        long format = f.integer("format");
        if (format != FORMAT) {
            throw new IllegalArgumentException("format: " + format + " is not supported (expected " + FORMAT + ")");
        }
        StoredFields schedule = f.object("schedule");
        StoredFields metrics = f.object("metrics");
        Map<String, Object> config = f.map("config");
        // the run settings a resume applies, read once now so that a wrong one is refused naming this file
        Configs.applyRunSettings(config, new TrainingConfig());
        return new TrainerState(f.integer("step", 0), f.integer("epoch", 0), f.integer("data_position", 0),
                schedule.integer("total_steps", 0),
                schedule.number("lr_scale", "a finite number > 0", v -> v > 0 && Double.isFinite(v)),
                f.name("optimizer"), f.nameOrNull("activation"), metrics.numberOrNaN("loss"), evals(metrics),
                metrics.smallInteger("evals_since_improvement", 0), config, dataFingerprint(m));
    }

    /** The validation losses so far, as [step, loss] pairs; a loss that was not finite is kept as "NaN". */
    private static List<ConvergenceTracker.Point> evals(StoredFields metrics) {
        List<ConvergenceTracker.Point> evals = new ArrayList<>();
        for (Object o : metrics.list("evals")) {
            if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Number s)) {
                throw metrics.wrong("evals", "a list of [step, loss] pairs", o);
            }
            Object v = pair.get(1);
            evals.add(new ConvergenceTracker.Point(s.longValue(), v instanceof Number n ? n.doubleValue() : Double.NaN));
        }
        return evals;
    }

    /** The data's fingerprint at the checkpoint; null in checkpoints written before it was kept. */
    private static String dataFingerprint(Map<String, Object> m) {
        return m.get("data") instanceof Map<?, ?> data && data.get("fingerprint") instanceof String f ? f : null;
    }
}
