package dev.vesper.data.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheWriterTest {
    @TempDir
    Path dir;

    private Path temporary(Path target, String digits, Duration age) throws IOException {
        Path p = Files.writeString(dir.resolve("." + target.getFileName() + digits + ".tmp"), "partial");
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    @Test
    void aFullDiskNamesTheCacheFileAndLeavesNoTemporaryFile() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs Linux's /dev/full, a device that is always full");
        Path target = dir.resolve("tokens-abc.vtok");
        Path tmp = Files.createFile(dir.resolve(".tokens-abc.vtok1.tmp"));
        CacheWriter w = new CacheWriter(target, 300, 0,
                new CacheTemporaries.Temp(tmp, FileChannel.open(full, StandardOpenOption.WRITE)));
        w.add(new int[] {1, 2, 3}, 3);
        IOException e = assertThrows(IOException.class, () -> w.finish("tok", "src", "test"));
        assertEquals(target + ": cannot write the token cache (No space left on device)", e.getMessage());
        w.close();
        assertFalse(Files.exists(tmp), "the partial file is removed");
        assertFalse(Files.exists(target));
    }

    @Test
    void theCacheFileGetsTheUsualPermissionsOfANewFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = dir.resolve("tokens-abc.vtok");
        try (CacheWriter w = new CacheWriter(target, 300, 0)) {
            w.add(new int[] {1, 2, 3}, 3);
            w.finish("tok", "src", "test");
        }
        Path usual = Files.createFile(dir.resolve("usual"));
        assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(target),
                "the umask's permissions, not createTempFile's owner-only 0600");
    }

    @Test
    void removesOnlyStaleTemporaryFilesOfItsOwnCache() throws Exception {
        Path target = dir.resolve("tokens-abc.vtok");
        Path stale = temporary(target, "123", Duration.ofHours(2));
        Path recent = temporary(target, "456", Duration.ofMinutes(5));
        Path otherCache = temporary(dir.resolve("tokens-xyz.vtok"), "789", Duration.ofHours(2));
        try (CacheWriter live = new CacheWriter(target, 300, 0)) {
            Path writing;
            try (var s = Files.list(dir)) {
                writing = s.filter(p -> p.getFileName().toString().startsWith(".tokens-abc.vtok")
                        && !p.equals(stale) && !p.equals(recent)).findFirst().orElseThrow();
            }
            Files.setLastModifiedTime(writing, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
            assertEquals(1, CacheTemporaries.removeStale(target));
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(recent), "may be a writer that has not locked its file yet");
            assertTrue(Files.exists(otherCache), "another cache's files are its own business");
            assertTrue(Files.exists(writing), "a writer in this JVM, however long it has been quiet");
        }
    }

    @Test
    void leavesATemporaryFileThatAnotherProcessHoldsLocked() throws Exception {
        Path target = dir.resolve("tokens-abc.vtok");
        Path held = temporary(target, "123", Duration.ofHours(2));
        Path program = Files.writeString(dir.resolve("Hold.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE)) {
                            ch.lock();
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), program.toString(), held.toString()).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            assertEquals(0, CacheTemporaries.removeStale(target));
            assertTrue(Files.exists(held), "a writer in another process holds its lock");
        } finally {
            p.getOutputStream().close();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroy();
        }
        Files.setLastModifiedTime(held, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertEquals(1, CacheTemporaries.removeStale(target), "once that process is gone, the file is stale");
        assertFalse(Files.exists(held));
    }
}
