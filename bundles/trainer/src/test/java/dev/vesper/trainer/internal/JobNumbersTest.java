package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobNumbersTest {
    @TempDir
    Path dir;

    @Test
    void aRestartInTheSameLaunchGoesOnFromTheLastNumber() {
        Path file = dir.resolve("job-numbers");
        JobNumbers first = new JobNumbers(file, "launch-a");
        assertEquals(1, first.next());
        assertEquals(2, first.next());
        assertEquals(3, new JobNumbers(file, "launch-a").next());
    }

    @Test
    void aNewLaunchStartsAtOne() {
        Path file = dir.resolve("job-numbers");
        new JobNumbers(file, "launch-a").next();
        assertEquals(1, new JobNumbers(file, "launch-b").next());
    }

    @Test
    void anUnreadableFileOrNoDataAreaStartsAtOne() throws IOException {
        Path file = dir.resolve("job-numbers");
        Files.writeString(file, "launch-a lots\n");
        assertEquals(1, new JobNumbers(file, "launch-a").next());
        JobNumbers inMemory = new JobNumbers(null, "launch-a");
        assertEquals(1, inMemory.next());
        assertEquals(2, inMemory.next());
    }
}
