package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import org.junit.jupiter.api.Test;

class BackgroundProgressTest {
    private static JobStatus stopped(String message) {
        return new JobStatus("1", JobState.STOPPED, 40, 300, 0, 2.5, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, -1,
                "velvet", "era", message);
    }

    @Test
    void theEndLineDoesNotSayTheStepTwice() {
        assertEquals("job 1 stopped at step 40: loss 2.5000, validation loss - (checkpoint /r/step-00000040)",
                BackgroundProgress.summary(stopped("stopped at step 40; checkpoint /r/step-00000040")));
        assertEquals("job 1 stopped at step 40: loss 2.5000, validation loss - (the trainer stopped, as a bundle it"
                        + " uses was stopped; checkpoint /r/step-00000040)",
                BackgroundProgress.summary(stopped("stopped at step 40: the trainer stopped, as a bundle it uses was"
                        + " stopped; checkpoint /r/step-00000040")));
    }
}
