package dev.vesper.console;

import dev.vesper.api.tensor.ComputeBackend;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code vesper:info}: what this runtime is made of. */
@Component(service = InfoCommand.class, property = {"osgi.command.scope=vesper", "osgi.command.function=info"})
public final class InfoCommand {
    private final BundleContext context;

    @Activate
    public InfoCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("show the Vesper version, the JVM and its vector width, the compute backends, "
            + "and every registered Vesper service with the bundle that provides it")
    public PlatformInfo info(@Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("info", words);
            String jvm = System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                    + System.getProperty("java.vendor") + "), " + Runtime.getRuntime().availableProcessors() + " cores";
            return new PlatformInfo(context.getBundle().getVersion().toString(), jvm, VectorSupport.describe(),
                    backends(), ServiceCatalog.list(context));
        });
    }

    private List<String> backends() {
        List<String> out = new ArrayList<>();
        for (ServiceEntry e : ServiceCatalog.ofKind(context, "ComputeBackend")) {
            out.add(e.name() + " (ranking " + e.ranking() + "): " + describe(e.name()));
        }
        if (out.isEmpty()) {
            out.add("none registered");
        }
        return out;
    }

    private String describe(String name) {
        try {
            for (ServiceReference<ComputeBackend> ref : context.getServiceReferences(ComputeBackend.class,
                    "(" + ComputeBackend.PROPERTY + "=" + name + ")")) {
                ComputeBackend backend = context.getService(ref);
                try {
                    return backend == null ? "unavailable" : backend.describe();
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            return "bad name";
        }
        return "gone";
    }
}
