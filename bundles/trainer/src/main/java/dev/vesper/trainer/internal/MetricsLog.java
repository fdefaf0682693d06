package dev.vesper.trainer.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.StepEvent;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's {@code metrics.jsonl}: one JSON object per line, {@code "type":"step"} for every step
 * and {@code "type":"eval"} for every evaluation. Non-finite figures are written as null (JSON has
 * no NaN). Lines are flushed as they are written, so a crash loses nothing already reported.
 */
public final class MetricsLog implements Closeable {
    public static final String FILE = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsLog(Path runDirectory) throws IOException {
        Files.createDirectories(runDirectory);
        this.out = Files.newBufferedWriter(runDirectory.resolve(FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public void step(StepEvent e) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "step");
        m.put("step", e.step());
        m.put("epoch", e.epoch());
        m.put("loss", num(e.loss()));
        m.put("perplexity", num(e.perplexity()));
        m.put("entropy", num(e.entropy()));
        m.put("lr", num(e.learningRate()));
        m.put("beta1", num(e.beta1()));
        m.put("skipped_fraction", num(e.skippedFraction()));
        m.put("grad_norm", num(e.gradNorm()));
        m.put("ms_per_step", num(e.msPerStep()));
        m.put("tokens_per_s", num(e.tokensPerSecond()));
        m.put("skipped", e.skipped());
        write(m);
    }

    public void eval(EvalEvent e) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "eval");
        m.put("step", e.step());
        m.put("val_loss", num(e.validationLoss()));
        m.put("val_perplexity", num(e.validationPerplexity()));
        m.put("tokens", e.tokens());
        write(m);
    }

    /** A free-form event line: swaps, waits, fault recoveries. */
    public void note(long step, String kind, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", kind);
        m.put("step", step);
        m.put("message", message);
        write(m);
    }

    private void write(Map<String, Object> m) throws IOException {
        out.write(JSON.writeValueAsString(m));
        out.write('\n');
        out.flush();
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
