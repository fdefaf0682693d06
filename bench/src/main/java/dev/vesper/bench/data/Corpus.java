package dev.vesper.bench.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared/data/tinyshakespeare.txt: from -Dvesper.shared, else beside the working tree. */
final class Corpus {
    private Corpus() {
    }

    static Path path() {
        String shared = System.getProperty("vesper.shared");
        Path[] candidates = shared != null
                ? new Path[] {Path.of(shared, "data", "tinyshakespeare.txt")}
                : new Path[] {Path.of("..", "shared", "data", "tinyshakespeare.txt"),
                    Path.of("..", "..", "shared", "data", "tinyshakespeare.txt")};
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("tinyshakespeare.txt not found (tried " + java.util.Arrays.toString(candidates)
                + "); run from the repository root or pass -Dvesper.shared=<shared folder>");
    }

    static String text() throws IOException {
        return Files.readString(path(), StandardCharsets.UTF_8);
    }
}
