package dev.vesper.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders a run or a benchmark claims for itself, such as {@code runs/20261127-021500-1}: named by the
 * time of day, so that two processes started in the same second would otherwise pick the same one.
 */
public final class FreshFolders {
    private FreshFolders() {
    }

    /**
     * Creates and returns {@code base}, or else {@code base-2}, {@code base-3} …, the first that did not
     * exist. Each is made in one step that fails if it exists, so no other thread or process claims it too.
     */
    public static Path claim(Path base) throws IOException {
        Path parent = base.toAbsolutePath().getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (FileAlreadyExistsException fileInTheWay) {
                throw new FileSystemException(fileInTheWay.getFile(), null, "a file, where a folder is needed");
            }
        }
        Path p = base;
        for (int n = 2; ; n++) {
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException taken) {
                p = base.resolveSibling(base.getFileName() + "-" + n);
            }
        }
    }
}
