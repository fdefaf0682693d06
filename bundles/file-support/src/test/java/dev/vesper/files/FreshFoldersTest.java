package dev.vesper.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshFoldersTest {
    @TempDir
    Path dir;

    @Test
    void claimsTheNameThenNumberedSiblingsAndMakesParents() throws IOException {
        Path base = dir.resolve("runs/20261127-021500-1");
        assertEquals(base, FreshFolders.claim(base));
        assertEquals(dir.resolve("runs/20261127-021500-1-2"), FreshFolders.claim(base));
        assertEquals(dir.resolve("runs/20261127-021500-1-3"), FreshFolders.claim(base));
        assertTrue(Files.isDirectory(base));
    }

    @Test
    void aFileWhereTheParentFolderShouldBeIsNamedAsSuch() throws IOException {
        Files.writeString(dir.resolve("runs"), "not a folder");
        IOException e = assertThrows(IOException.class, () -> FreshFolders.claim(dir.resolve("runs/20261127-021500-1")));
        assertEquals(dir.resolve("runs") + ": a file, where a folder is needed", e.getMessage());
    }

    @Test
    void claimsMadeAtOnceNeverShareAFolder() throws Exception {
        Path base = dir.resolve("runs/same-second-1");
        int claims = 16;
        ExecutorService pool = Executors.newFixedThreadPool(claims);
        try {
            List<Callable<Path>> tasks = new ArrayList<>();
            for (int i = 0; i < claims; i++) {
                tasks.add(() -> FreshFolders.claim(base));
            }
            HashSet<Path> distinct = new HashSet<>();
            for (Future<Path> f : pool.invokeAll(tasks)) {
                distinct.add(f.get());
            }
            assertEquals(claims, distinct.size(), "each claim got its own folder: " + distinct);
        } finally {
            pool.shutdownNow();
        }
    }
}
