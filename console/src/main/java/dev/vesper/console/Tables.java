package dev.vesper.console;

import dev.vesper.api.train.BenchmarkResult;
import dev.vesper.api.train.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text layouts of command results. */
final class Tables {
    private Tables() {
    }

    static String info(PlatformInfo info) {
        StringBuilder sb = new StringBuilder();
        sb.append("Vesper   ").append(info.vesperVersion()).append('\n');
        sb.append("JVM      ").append(info.jvm()).append('\n');
        sb.append("Vectors  ").append(info.vectorPath()).append('\n');
        sb.append("Compute backends:\n");
        for (String b : info.backends()) {
            sb.append("  ").append(b).append('\n');
        }
        sb.append("Services:\n");
        String[][] rows = new String[info.services().size()][];
        for (int i = 0; i < rows.length; i++) {
            ServiceEntry e = info.services().get(i);
            rows[i] = new String[] {e.kind(), e.name(), e.bundle() + " " + e.version(), note(e)};
        }
        sb.append(table(new String[] {"KIND", "NAME", "BUNDLE", ""}, List.of(rows)));
        return sb.toString();
    }

    /** Left-aligned columns, two spaces apart, indented by two. */
    static String table(String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder("  ");
        for (int c = 0; c < cells.length; c++) {
            line.append(cells[c]);
            if (c < cells.length - 1) {
                line.append(" ".repeat(width[c] - cells[c].length() + 2));
            }
        }
        // an empty last column leaves padding behind
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static String presets(List<ModelPreset> presets) {
        List<String[]> rows = new ArrayList<>();
        for (ModelPreset p : presets) {
            rows.add(new String[] {p.name(), Integer.toString(p.layers()), Integer.toString(p.heads()),
                Integer.toString(p.dModel()), Integer.toString(p.dFf()), Integer.toString(p.context()),
                Integer.toString(p.vocab()), String.format(Locale.ROOT, "%,d", p.parameters())});
        }
        return table(new String[] {"MODEL", "LAYERS", "HEADS", "D_MODEL", "D_FF", "CONTEXT", "VOCAB", "PARAMETERS"}, rows);
    }

    static String services(List<ServiceEntry> entries) {
        List<String[]> rows = new ArrayList<>();
        for (ServiceEntry e : entries) {
            rows.add(new String[] {e.name(), e.bundle(), e.version(), note(e)});
        }
        return table(new String[] {"NAME", "BUNDLE", "VERSION", ""}, rows);
    }

    /** Nothing for a usable service; why not, for one listed that cannot be used. */
    private static String note(ServiceEntry e) {
        return e.usable() ? "" : e.unusable();
    }

    static String jobs(List<JobStatus> jobs) {
        List<String[]> rows = new ArrayList<>();
        for (JobStatus s : jobs) {
            rows.add(new String[] {s.jobId(), s.state().toString(), s.step() + "/" + s.totalSteps(),
                num(s.loss(), "%.4f"), orDash(s.optimizer()), orDash(s.activation()), s.message() == null ? "" : s.message()});
        }
        return table(new String[] {"JOB", "STATE", "STEP", "LOSS", "OPTIMIZER", "ACTIVATION", "MESSAGE"}, rows);
    }

    static String statusLine(JobStatus s) {
        return "job " + s.jobId() + " " + s.state() + " step " + s.step() + "/" + s.totalSteps()
                + " loss " + num(s.loss(), "%.4f");
    }

    static String status(JobStatus s) {
        StringBuilder sb = new StringBuilder();
        line(sb, "job", s.jobId() + "  " + s.state() + (s.message() == null ? "" : "  (" + s.message() + ")"));
        line(sb, "step", s.step() + " / " + s.totalSteps() + "   epoch " + s.epoch());
        line(sb, "loss", num(s.loss(), "%.4f") + "   perplexity " + num(s.perplexity(), "%.2f"));
        line(sb, "validation", Double.isNaN(s.validationLoss()) ? "-" : num(s.validationLoss(), "%.4f")
                + "   perplexity " + num(Math.exp(s.validationLoss()), "%.2f")
                + convergence(s));
        line(sb, "learning rate", num(s.learningRate(), "%.3e") + "   grad norm " + num(s.gradNorm(), "%.3f"));
        line(sb, "speed", num(s.tokensPerSecond(), "%,.0f") + " tokens/s   " + num(s.msPerStep(), "%.1f") + " ms/step");
        line(sb, "heap", String.format(Locale.ROOT, "%,d MiB", s.heapUsedBytes() >> 20) + "   ETA " + duration(s.etaSeconds()));
        line(sb, "optimizer", orDash(s.optimizer()) + "   activation " + orDash(s.activation()));
        return sb.toString();
    }

    /** Until the run ends its best validation loss can still move, so the step is only provisional. */
    private static String convergence(JobStatus s) {
        if (s.convergenceStep() < 0) {
            return "";
        }
        if (!s.state().ended()) {
            // the first evaluation that came close, not a claim that every one since did
            return "   first within tolerance of the best so far at step " + s.convergenceStep();
        }
        // the final evaluation runs at the last step: a best found only there is no sign of convergence
        return s.convergenceStep() == s.step() ? "   best at the last evaluation (step " + s.step() + "): not converged"
                : "   converged at step " + s.convergenceStep();
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds) || seconds < 0) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    static String num(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-14s", key)).append(value).append('\n');
    }

    /**
     * {@code validated}: whether each run's final loss is its validation loss at the last step;
     * {@code tolerance}: the relative convergence tolerance the runs used.
     */
    static String bench(BenchmarkResult r, boolean validated, double tolerance) {
        List<String[]> rows = new ArrayList<>();
        for (BenchmarkResult.Row row : r.rows()) {
            rows.add(new String[] {row.label(), num(row.finalLoss(), "%.4f"), num(row.finalPerplexity(), "%.2f"),
                row.convergenceStep() < 0 ? "-" : Long.toString(row.convergenceStep()), num(row.msPerStep(), "%.1f"),
                row.state().equals("FINISHED") ? "" : row.state()});
        }
        return table(new String[] {"OPTIMIZER", "FINAL LOSS", "FINAL PPL", "CONVERGENCE STEP", "MS/STEP", ""}, rows)
                + (validated ? "final loss: the validation loss at the last step\n"
                        : "final loss: the mean of the last training losses (--eval-every 0: no evaluation)\n")
                + String.format(Locale.ROOT, "convergence step: the first evaluation whose validation loss came within"
                        + " %s %% of the run's best (- when none did)%n",
                        new java.math.BigDecimal(100 * tolerance).round(new java.math.MathContext(3)).stripTrailingZeros()
                                .toPlainString())
                + "chart: " + r.chart() + "\njson:  " + r.json();
    }
}
