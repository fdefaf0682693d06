package dev.vesper.data;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.data.internal.FileFaults;
import dev.vesper.data.internal.Formats;
import dev.vesper.data.internal.Hashing;
import dev.vesper.data.internal.Tally;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * Local files and directories ({@code file:} locations, or plain paths): JSON Lines, JSON, plain
 * text, each optionally gzip-compressed. A directory is read recursively in path order, taking the
 * files whose names it knows ({@code .jsonl .ndjson .json .txt .text}, with or without
 * {@code .gz}) and skipping hidden ones; a single file is read whatever its name (a name other than
 * {@code .jsonl .ndjson .json} is plain text), except Parquet, which is refused.
 */
@Component(service = DatasetSource.class, property = DatasetSource.PROPERTY + "=file")
public class FileSource implements DatasetSource {

    public FileSource() {
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
        Path root = path(location);
        List<Path> files = files(root);
        String fingerprint = fingerprint(root, files, options);
        Tally tally = new Tally(sink, options);
        for (Path f : files) {
            Formats.read(f, f.toString(), options, tally);
        }
        return tally.summary(fingerprint);
    }

    @Override
    public String fingerprint(String location, ReadOptions options) throws IOException {
        Path root = path(location);
        return fingerprint(root, files(root), options);
    }

    /** The path a {@code file:} location names. */
    public static Path path(String location) {
        String p = location;
        if (p.startsWith("file:///")) {
            try {
                return Path.of(java.net.URI.create(p));
            } catch (IllegalArgumentException notAUri) {
                p = p.substring("file://".length());
            }
        } else if (p.startsWith("file://")) {
            p = p.substring("file://".length());
        } else if (p.startsWith("file:")) {
            p = p.substring("file:".length());
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty file location: " + location);
        }
        return Path.of(p);
    }

    /** The files a path stands for, in a stable order. */
    public static List<Path> files(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        if (!Files.isDirectory(root)) {
            if (Files.exists(root)) {
                // a device or a named pipe: there, but nothing the data can be read from twice (validation, epochs)
                throw new java.nio.file.FileSystemException(root.toString(), null,
                        "not a regular file or folder (a device, pipe or socket); give a file, or a folder of them");
            }
            throw new NoSuchFileException(root.toString(), null, "no such file or directory");
        }
        List<Path> out = known(root, () -> Files.walk(root));
        if (out.isEmpty()) {
            throw new NoSuchFileException(root.toString(), null,
                    "no .jsonl, .ndjson, .json, .txt or .text files (optionally .gz) in this directory");
        }
        return out;
    }

    /** Opens a walk over a folder tree; a parameter so that tests can make one fail. */
    interface Walk {
        Stream<Path> open() throws IOException;
    }

    /**
     * The files of the walk that a directory read takes, sorted. A folder the walk cannot enter fails it
     * with an {@link UncheckedIOException}, unwrapped here into {@code <folder>: permission denied}.
     */
    static List<Path> known(Path root, Walk walk) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = walk.open()) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(root.relativize(p)))
                    .filter(p -> Formats.isKnown(p.getFileName().toString()))
                    .sorted()
                    .forEach(out::add);
        } catch (UncheckedIOException e) {
            throw FileFaults.unwrap(e);
        } catch (FileSystemException e) {
            throw FileFaults.withReason(e);
        }
        return out;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String fingerprint(Path root, List<Path> files, ReadOptions options) throws IOException {
        // v2: JSON with content after its value is refused, where v1 kept the first value; a token cache that
        // v1 built from such a file must not be trusted, so it is rebuilt (and the file's fault then said)
        StringBuilder sb = new StringBuilder("file-v2|").append(options).append('\n');
        for (Path f : files) {
            sb.append(root.relativize(f)).append('|').append(Files.size(f)).append('|')
                    .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
        }
        return Hashing.sha256(sb.toString());
    }
}
