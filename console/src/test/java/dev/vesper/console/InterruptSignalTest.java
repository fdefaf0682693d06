package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Ctrl-C during a one-command chat's answer calls the answer's stop, not the JVM's exit. */
class InterruptSignalTest {
    @Test
    void aSigintDuringTheBodyReachesItsHandlerAndTheOldOneComesBack() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean bodyEnded = new AtomicBoolean();
        sun.misc.SignalHandler mine = s -> { };
        sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("INT"), mine);
        try {
            InterruptSignal.during(stopped::countDown, () -> {
                sun.misc.Signal.raise(new sun.misc.Signal("INT"));
                try {
                    assertTrue(stopped.await(10, TimeUnit.SECONDS), "the handler ran");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                bodyEnded.set(true);
            });
            assertTrue(bodyEnded.get());
            sun.misc.SignalHandler after = sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> { });
            assertTrue(after == mine, "the handler from before is back: " + after);
        } finally {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), before);
        }
    }
}
