package dev.vesper.trainer.internal;

import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The numbers of the user's jobs: 1, 2, 3 … for one launch of the framework. A trainer restarted in the
 * same launch (its bundle, or one it uses, updated or refreshed) goes on from the last number, so that
 * "job 1" never names two runs on one screen. The last number is kept in a file with the launch's id,
 * in the bundle's data area, which an update keeps; a new launch starts at 1 again.
 */
public final class JobNumbers {
    private final Path file;
    private final String launch;
    private int last;

    /**
     * {@code file} null keeps the numbers in memory only (no data area); {@code launch} is what tells one
     * launch of the framework from the next (its UUID).
     */
    public JobNumbers(Path file, String launch) {
        this.file = file;
        this.launch = String.valueOf(launch);
        this.last = file == null ? 0 : lastOf(file, this.launch);
    }

    public synchronized int next() {
        last++;
        if (file != null) {
            try {
                AtomicFiles.writeText(file, launch + " " + last + "\n");
            } catch (IOException e) {
                // only the numbering after a restart is at stake, not the run
            }
        }
        return last;
    }

    private static int lastOf(Path file, String launch) {
        try {
            String[] words = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
            return words.length == 2 && words[0].equals(launch) ? Math.max(0, Integer.parseInt(words[1])) : 0;
        } catch (IOException | RuntimeException missingOrOtherLaunch) {
            return 0;
        }
    }
}
