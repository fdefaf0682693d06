package dev.vesper.cuda;

import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.cuda.internal.CudaDevice;
import dev.vesper.cuda.internal.CudaUnavailableException;
import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Registers the {@link CudaBackend}, ranked above the CPU backend, when a CUDA device can be
 * opened; otherwise says why once and registers no backend, so the CPU backend serves alone.
 * Either way {@code vesper:cuda} says which, and why.
 *
 * <p>The service is registered by hand rather than by DS because whether it exists depends on the
 * machine, which DS cannot express. Setting {@code vesper.cuda=off} keeps the GPU out of use;
 * {@code vesper.cuda.device} picks a device other than 0.
 */
@Component(immediate = true, service = {})
public final class CudaBackendRegistrar {
    /** Ranks the GPU above the CPU backend (ranking 0), so consumers take it when it is there. */
    public static final int RANKING = 100;
    private static final System.Logger LOG = System.getLogger("dev.vesper.cuda");

    private final CudaDevice device;
    private final ServiceRegistration<ComputeBackend> registration;
    private final ServiceRegistration<CudaStatusCommand> command;

    @Activate
    public CudaBackendRegistrar(BundleContext context,
                                @Reference(target = "(" + ComputeBackend.PROPERTY + "=cpu)") ComputeBackend cpu) {
        CudaDevice opened = null;
        String status;
        // a machine without an NVIDIA driver is the usual case: vesper:cuda says so, the log need not
        Level level = Level.INFO;
        if ("off".equalsIgnoreCase(context.getProperty("vesper.cuda"))) {
            status = "CUDA backend: not in use: turned off by vesper.cuda=off; computing on the CPU";
        } else {
            try {
                opened = CudaDevice.open(ordinal(context.getProperty("vesper.cuda.device")));
                status = "CUDA backend: in use: " + opened.description();
            } catch (CudaUnavailableException e) {
                status = "CUDA backend: not in use: " + e.getMessage() + "; computing on the CPU";
                level = e.noDriver() ? Level.DEBUG : Level.INFO;
            }
        }
        LOG.log(level, status);
        device = opened;
        registration = device == null ? null : context.registerService(ComputeBackend.class,
                new CudaBackend(device, cpu), backendProperties());
        command = context.registerService(CudaStatusCommand.class, new CudaStatusCommand(status), commandProperties());
    }

    private static Dictionary<String, Object> backendProperties() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ComputeBackend.PROPERTY, "cuda");
        props.put(Constants.SERVICE_RANKING, RANKING);
        return props;
    }

    private static Dictionary<String, Object> commandProperties() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "vesper");
        props.put("osgi.command.function", new String[] {CudaStatusCommand.FUNCTION});
        // vesper:help's line for a command whose bundle does not import Gogo's @Descriptor
        props.put("vesper.command.description", CudaStatusCommand.DESCRIPTION);
        return props;
    }

    private static int ordinal(String property) {
        if (property == null || property.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "vesper.cuda.device=" + property + " is not a device number; using device 0");
            return 0;
        }
    }

    @Deactivate
    void deactivate() {
        command.unregister();
        if (registration != null) {
            try {
                registration.unregister();
            } finally {
                // whoever still holds the backend goes on: its products fall back to the CPU
                device.close();
            }
        }
    }
}
