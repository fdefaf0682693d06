package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.train.BenchmarkArm;
import dev.vesper.api.train.BenchmarkResult;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.trainer.BenchmarkRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest {
    @TempDir
    Path dir;

    /** A short comparison with the default warmup: bench.json says the warmup its arms used. */
    @Test
    void benchJsonRecordsTheWarmupTheArmsUsed() throws Exception {
        Runs runs = new Runs(dir);
        TrainingConfig base = runs.config(dir.resolve("unused")).resetWarmup().steps(9)
                .evalEvery(0).out(null);
        List<String> armIds = new java.util.ArrayList<>();
        BenchmarkResult r = new BenchmarkRunner(runs.service).compare(base,
                List.of(new BenchmarkArm("a", "adamw", Map.of()), new BenchmarkArm("b", "velvet", Map.of())),
                dir.resolve("bench"), job -> armIds.add(job.id()));
        assertEquals(2, r.rows().size());
        assertEquals(List.of("1", "2"), armIds, "the arms are the user's first jobs; the warm-up takes no number");
        assertEquals(armIds, runs.service.jobs().stream().map(j -> j.id()).toList(), "and only they are listed");
        JsonNode json = new ObjectMapper().readTree(Files.readString(r.json()));
        assertEquals(3, json.get("config").get("warmup").asInt(), "a third of 9 steps");
        assertTrue(Files.size(r.chart()) > 0);
    }

    /** Ctrl-C in the warm-up: the comparison returns once the warm-up job has ended, and leaves no folder. */
    @Test
    void anInterruptedWarmUpHasEndedWhenTheComparisonReturns() throws Exception {
        Runs runs = new Runs(dir);
        TrainingConfig base = runs.config(dir.resolve("unused")).steps(100_000).evalEvery(0).out(null);
        Path folder = dir.resolve("bench");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread comparing = new Thread(() -> {
            try {
                new BenchmarkRunner(runs.service).compare(base, List.of(new BenchmarkArm("a", "adamw", Map.of())),
                        folder, job -> { });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        comparing.start();
        TrainingJob warmUp = awaitRunning(runs);
        comparing.interrupt();
        comparing.join(60_000);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertTrue(warmUp.status().state().ended(), "still " + warmUp.status().state());
        assertFalse(Files.exists(folder), "the folder the comparison made is gone");
        assertTrue(runs.service.jobs().isEmpty(), "the warm-up is not one of the user's jobs: " + runs.service.jobs());
    }

    private static TrainingJob awaitRunning(Runs runs) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (TrainingJob j : runs.service.jobs()) {
                if (j.status().step() >= 1) {
                    return j;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the warm-up made no step within 60 s");
    }
}
