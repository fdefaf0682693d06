package dev.vesper.trainer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A finished run's figures, read back from its {@code metrics.jsonl}: the loss curve, the final
 * loss and the mean speed. Reading the file, not the job, makes the figures those a user can check.
 */
public record RunMetrics(double[] steps, double[] losses, double[] evalSteps, double[] evalLosses,
                         double msPerStep, double tokensPerSecond) {
    /** Steps left out of the speed figures: the JIT is still compiling the kernels then. */
    private static final int WARMUP_STEPS = 3;
    /** Training steps averaged when the run ends without a final evaluation. */
    private static final int TAIL = 10;

    public static RunMetrics read(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(MetricsLog.FILE);
        ObjectMapper json = new ObjectMapper();
        Curve train = new Curve();
        Curve eval = new Curve();
        double ms = 0;
        double tps = 0;
        int timed = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode n = json.readTree(line);
                String type = n.path("type").asText();
                if (type.equals("step")) {
                    train.add(n.path("step").asDouble(), number(n.path("loss")));
                    if (train.n > WARMUP_STEPS && n.path("ms_per_step").isNumber()) {
                        ms += n.path("ms_per_step").asDouble();
                        tps += n.path("tokens_per_s").asDouble();
                        timed++;
                    }
                } else if (type.equals("eval")) {
                    eval.add(n.path("step").asDouble(), number(n.path("val_loss")));
                }
            }
        }
        return new RunMetrics(train.xs(), train.ys(), eval.xs(), eval.ys(),
                timed == 0 ? Double.NaN : ms / timed, timed == 0 ? Double.NaN : tps / timed);
    }

    /** The validation loss of an evaluation at the last step, else the mean of the last training losses. */
    public double finalLoss() {
        if (evalSteps.length > 0 && steps.length > 0 && evalSteps[evalSteps.length - 1] == steps[steps.length - 1]) {
            return evalLosses[evalLosses.length - 1];
        }
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, losses.length - TAIL); i < losses.length; i++) {
            if (Double.isFinite(losses[i])) {
                sum += losses[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static final class Curve {
        private double[] x = new double[64];
        private double[] y = new double[64];
        private int n;

        void add(double step, double value) {
            if (n == x.length) {
                x = Arrays.copyOf(x, 2 * n);
                y = Arrays.copyOf(y, 2 * n);
            }
            x[n] = step;
            y[n++] = value;
        }

        double[] xs() {
            return Arrays.copyOf(x, n);
        }

        double[] ys() {
            return Arrays.copyOf(y, n);
        }
    }
}
