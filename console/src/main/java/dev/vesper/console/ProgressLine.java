package dev.vesper.console;

import dev.vesper.api.train.StepEvent;
import java.util.Locale;

/** One line of training progress: a bar, the step, the loss and the speed. */
final class ProgressLine {
    private static final int WIDTH = 24;
    private static final String[] PARTIAL = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

    private ProgressLine() {
    }

    static String render(StepEvent e, long totalSteps, double etaSeconds) {
        double fraction = totalSteps > 0 ? Math.min(1.0, (double) e.step() / totalSteps) : 0;
        return String.format(Locale.ROOT, "train %s %3.0f%% %d/%d  loss %.4f  ppl %.1f  lr %.2e  %,.0f tok/s  ETA %s",
                bar(fraction), fraction * 100, e.step(), totalSteps, e.loss(), e.perplexity(), e.learningRate(),
                e.tokensPerSecond(), Tables.duration(etaSeconds));
    }

    static String bar(double fraction) {
        int eighths = (int) Math.round(fraction * WIDTH * 8);
        StringBuilder sb = new StringBuilder("▕");
        sb.append("█".repeat(eighths / 8));
        int used = eighths / 8;
        if (used < WIDTH) {
            sb.append(PARTIAL[eighths % 8]);
            used += eighths % 8 > 0 ? 1 : 0;
        }
        sb.append(" ".repeat(WIDTH - used)).append('▏');
        return sb.toString();
    }
}
