package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
    private static JobStatus job(JobState state, long convergence, String optimizer, String activation, String message) {
        return new JobStatus("3", state, 0, 300, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                0, Double.NaN, 2.5, convergence, optimizer, activation, message);
    }

    @Test
    void aJobThatFailedBeforeItHadAnOptimizerIsListedAndShown() {
        JobStatus failed = job(JobState.FAILED, -1, null, null, "cannot read /tmp/nope.txt");
        String table = Tables.jobs(List.of(failed));
        assertTrue(table.contains("FAILED") && table.contains("cannot read /tmp/nope.txt"), table);
        String status = Tables.status(failed);
        assertTrue(status.contains("optimizer     -   activation -"), status);
        assertFalse(status.contains("null"), status);
    }

    @Test
    void convergenceIsProvisionalUntilTheRunEnds() {
        String running = Tables.status(job(JobState.RUNNING, 30, "velvet", "silu", null));
        assertTrue(running.contains("first within tolerance of the best so far at step 30"), running);
        assertFalse(running.contains("converged"), running);
        String finished = Tables.status(job(JobState.FINISHED, 200, "velvet", "silu", null));
        assertTrue(finished.contains("converged at step 200"), finished);
        JobStatus stillFalling = new JobStatus("4", JobState.FINISHED, 300, 300, 0, 1.2, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 0, Double.NaN, 1.9, 300, "adamw", "silu", null);
        String end = Tables.status(stillFalling);
        assertTrue(end.contains("best at the last evaluation (step 300): not converged"), end);
    }
}
