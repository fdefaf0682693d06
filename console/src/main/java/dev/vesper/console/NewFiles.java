package dev.vesper.console;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts a finished, synced temporary file in place under a name that must still be free. A command checks
 * the name before its work, which can take minutes; a rename would silently replace a file that appeared
 * meanwhile, while a hard link fails if the name is taken.
 */
final class NewFiles {
    private NewFiles() {
    }

    /**
     * Refuses a target that is taken, or whose folder does not exist: a typo in a path should be said,
     * not turned into new folders.
     */
    static void requireFree(String command, Path target, String kind) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(command + ": " + target + " exists; name a new " + kind
                    + " (nothing was written)");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(command + ": no folder " + parent + " (nothing was written)");
        }
    }

    static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (FileAlreadyExistsException taken) {
            throw new IllegalArgumentException(target + " appeared meanwhile; it is left as it was (nothing was written)");
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.move(tmp, target);   // without REPLACE_EXISTING: refuses a name that is taken
        }
        readableByAll(target);
    }

    /** Temporary files are created 0600; the file a user asked for should read like any other. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's defaults stand
        }
    }
}
