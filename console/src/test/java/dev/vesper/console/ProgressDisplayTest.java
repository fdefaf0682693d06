package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    @Test
    void aWaitingJobInTheForegroundIsToldToStopWithCtrlC() {
        // the trainer's words (Equipment.WAITING_HINT): the command that waits on the job leaves no prompt to type at
        String waiting = "optimizer 'createboom' (bundle org.acme.broken) could not make an optimizer (boom): waiting for a"
                + " bundle that provides it (start its bundle, or copy its jar into deploy/, removing it first if it is"
                + " still there; vesper:stop ends the run with a checkpoint)";
        assertEquals(waiting.replace("vesper:stop ends", "Ctrl-C ends"), ProgressDisplay.inForeground(waiting));
        assertEquals("stopped at step 3", ProgressDisplay.inForeground("stopped at step 3"));
    }
}
