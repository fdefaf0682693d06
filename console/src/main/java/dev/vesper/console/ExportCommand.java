package dev.vesper.console;

import dev.vesper.api.io.ModelExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
 * that one installed later (a third-party bundle in {@code deploy/}) serves at once.
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

    @Descriptor("export the loaded model to another format, e.g. an ONNX file")
    public String export(
            @Descriptor("the format (default onnx); an unknown one is refused with the list of installed ones")
            @Parameter(names = "--format", absentValue = "onnx") String format,
            @Descriptor("the file to write (must not exist)") String... words) {
        return Errors.shown(() -> {
            Path target = Path.of(Words.one("export", "file to write", words)).toAbsolutePath();
            LoadedModel.Entry e = loaded.require();
            NewFiles.requireFree("export", target, "file");
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

    private ServiceReference<ModelExporter> exporter(String format) throws InvalidSyntaxException {
        Collection<ServiceReference<ModelExporter>> refs = context.getServiceReferences(ModelExporter.class, null);
        List<String> formats = new ArrayList<>();
        ServiceReference<ModelExporter> best = null;
        for (ServiceReference<ModelExporter> r : refs) {
            Object f = r.getProperty(ModelExporter.PROPERTY);
            formats.add(String.valueOf(f));
            if (format.equals(f) && (best == null || r.compareTo(best) > 0)) {
                best = r;
            }
        }
        if (best == null) {
            formats.sort(null);
            throw new IllegalArgumentException("--format: no exporter for '" + format + "'; installed: " + formats);
        }
        return best;
    }
}
