package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trained BPE tokenizer is cached beside the runs; a damaged copy is trained again, not a dead end. */
class TokenizerCacheTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedCachedTokenizerIsTrainedAgainAndTheRunGoesOn() throws Exception {
        Runs runs = new Runs(dir);
        JobStatus first = Runs.finish(runs.service.start(runs.config(dir.resolve("a")).tokenizer("bpe:300").steps(2)
                .evalEvery(0).checkpointEvery(0)));
        assertEquals(JobState.FINISHED, first.state(), first.message());
        Path cached = cachedTokenizer();
        String good = Files.readString(cached);
        Files.writeString(cached, good.substring(0, 1000));

        TrainingJob again = runs.service.start(runs.config(dir.resolve("b")).tokenizer("bpe:300").steps(2)
                .evalEvery(0).checkpointEvery(0));
        JobStatus end = Runs.finish(again);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(good, Files.readString(cached), "trained again to the same tokenizer, and cached whole");
        assertEquals(good, Files.readString(again.runDirectory().resolve(TokenizerResolver.RUN_FILE)));
    }

    private Path cachedTokenizer() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve(".vesper-cache"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith("tokenizer-bpe300-")).toList();
            assertEquals(1, found.size(), found.toString());
            assertTrue(Files.size(found.get(0)) > 1000);
            return found.get(0);
        }
    }
}
