package dev.vesper.console;

import dev.vesper.api.io.ModelExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Writes the loaded model in another format. Exporters are looked up by format when the command runs, so
 * that one installed later (a third-party bundle in {@code deploy/}) serves at once. Without
 * {@code --format}, the file's extension names the format ({@code model.onnx}); a name with no extension
 * gets ONNX, and one whose extension no exporter writes is refused rather than written in another format.
 */
@Component(service = ExportCommand.class, property = {"osgi.command.scope=vesper", "osgi.command.function=export"})
public final class ExportCommand {
    private final BundleContext context;
    private final LoadedModel loaded;

    @Activate
    public ExportCommand(BundleContext context, @Reference LoadedModel loaded) {
        this.context = context;
        this.loaded = loaded;
    }

    static final String DEFAULT_FORMAT = "onnx";

    @Descriptor("export the loaded model to another format, e.g. an ONNX file")
    public String export(
            @Descriptor("the format, if not the file's extension (onnx for a name without one); an unknown one is"
                    + " refused with the list of installed ones")
            @Parameter(names = "--format", absentValue = "") String formatGiven,
            @Descriptor("the file to write (must not exist)") String... words) {
        return Errors.shown(() -> {
            Path target = Path.of(Words.one("export", "file to write", words)).toAbsolutePath();
            LoadedModel.Entry e = loaded.require();
            NewFiles.requireFree("export", target, "file");
            // as the extension is read: ONNX, onnx and Onnx are one format
            String format = formatGiven.isEmpty() ? formatOf(target) : formatGiven.toLowerCase(Locale.ROOT);
            ServiceReference<ModelExporter> ref = exporter(format);
            ModelExporter exporter = context.getService(ref);
            if (exporter == null) {
                throw new IllegalStateException("export: the '" + format + "' exporter went away; try again");
            }
            // written under a temporary name first, then put in place only if the name is still free
            Path tmp = target.resolveSibling("." + target.getFileName() + ".export-" + System.nanoTime());
            try {
                exporter.export(e.model(), tmp);
                NewFiles.publish(tmp, target);
            } catch (IOException | IllegalArgumentException failed) {
                throw new IllegalArgumentException(String.valueOf(failed.getMessage()).replace(tmp.toString(),
                        target.toString()), failed);
            } finally {
                context.ungetService(ref);
                Files.deleteIfExists(tmp);
            }
            return String.format(Locale.ROOT, "exported %s to %s (%s, %,d bytes)", e.source(), target, format, Files.size(target));
        });
    }

    /** The format a file's extension names, so that {@code model.txt} is not quietly written as ONNX. */
    private String formatOf(Path target) throws InvalidSyntaxException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return DEFAULT_FORMAT;
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        List<String> formats = formats();
        if (!formats.contains(extension)) {
            throw new IllegalArgumentException("export: no exporter writes '." + extension + "' files; installed: "
                    + formats + " (name the file " + name.substring(0, dot) + "." + DEFAULT_FORMAT
                    + ", or give --format to write one of them under this name)");
        }
        return extension;
    }

    private ServiceReference<ModelExporter> exporter(String format) throws InvalidSyntaxException {
        ServiceReference<ModelExporter> best = null;
        for (ServiceReference<ModelExporter> r : context.getServiceReferences(ModelExporter.class, null)) {
            if (format.equals(r.getProperty(ModelExporter.PROPERTY)) && (best == null || r.compareTo(best) > 0)) {
                best = r;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("--format: no exporter for '" + format + "'; installed: " + formats());
        }
        return best;
    }

    private List<String> formats() throws InvalidSyntaxException {
        List<String> formats = new ArrayList<>();
        for (ServiceReference<ModelExporter> r : context.getServiceReferences(ModelExporter.class, null)) {
            formats.add(String.valueOf(r.getProperty(ModelExporter.PROPERTY)));
        }
        formats.sort(null);
        return formats;
    }
}
