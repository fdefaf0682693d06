package dev.vesper.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * What Declarative Services says of the component behind a service, read without creating it: asking
 * for a component that failed makes DS try again, and log the failure again, every time.
 */
final class ComponentStates implements AutoCloseable {
    /** The state of a service that is no component's, or whose component DS does not describe. */
    static final int UNKNOWN = 0;

    private final BundleContext context;
    private final ServiceReference<ServiceComponentRuntime> reference;
    private final ServiceComponentRuntime runtime;

    private ComponentStates(BundleContext context, ServiceReference<ServiceComponentRuntime> reference,
                            ServiceComponentRuntime runtime) {
        this.context = context;
        this.reference = reference;
        this.runtime = runtime;
    }

    static ComponentStates open(BundleContext context) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        return new ComponentStates(context, ref, ref == null ? null : context.getService(ref));
    }

    /** The {@link ComponentConfigurationDTO} state of the component that registered {@code service}, or {@link #UNKNOWN}. */
    int of(ServiceReference<?> service) {
        Bundle bundle = service.getBundle();
        if (runtime == null || bundle == null
                || !(service.getProperty(ComponentConstants.COMPONENT_NAME) instanceof String name)
                || !(service.getProperty(ComponentConstants.COMPONENT_ID) instanceof Long id)) {
            return UNKNOWN;
        }
        ComponentDescriptionDTO description = runtime.getComponentDescriptionDTO(bundle, name);
        if (description == null) {
            return UNKNOWN;
        }
        for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(description)) {
            if (c.id == id) {
                return c.state;
            }
        }
        return UNKNOWN;
    }

    /** Whether {@code service} is a DS component's: DS gives each the component's name. */
    static boolean isComponent(ServiceReference<?> service) {
        return service.getProperty(ComponentConstants.COMPONENT_NAME) != null;
    }

    /**
     * The class of the component that registered {@code service}, loaded from its bundle as DS describes it,
     * without creating the component; null when DS does not describe it, or its bundle has gone meanwhile.
     */
    Class<?> implementation(ServiceReference<?> service) {
        Bundle bundle = service.getBundle();
        if (runtime == null || bundle == null
                || !(service.getProperty(ComponentConstants.COMPONENT_NAME) instanceof String name)) {
            return null;
        }
        ComponentDescriptionDTO description = runtime.getComponentDescriptionDTO(bundle, name);
        if (description == null) {
            return null;
        }
        try {
            return bundle.loadClass(description.implementationClass);
        } catch (ClassNotFoundException | IllegalStateException stoppedOrUninstalled) {
            return null;
        }
    }

    /**
     * The services that keep {@code bundle}'s component providing the Gogo command {@code function} from
     * being satisfied (simple interface names); empty when none does, or when it is satisfied.
     */
    List<String> missingFor(Bundle bundle, String function) {
        List<String> missing = new ArrayList<>();
        if (runtime == null) {
            return missing;
        }
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(bundle)) {
            if (!providesCommand(d, function)) {
                continue;
            }
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                    Arrays.stream(d.references).filter(r -> r.name.equals(u.name)).map(r -> simpleName(r.interfaceName))
                            .filter(n -> !missing.contains(n)).forEach(missing::add);
                }
            }
        }
        return missing;
    }

    private static boolean providesCommand(ComponentDescriptionDTO d, String function) {
        Object functions = d.properties.get("osgi.command.function");
        if (functions instanceof String[] names) {
            return Arrays.asList(names).contains(function);
        }
        return function.equals(functions);
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    @Override
    public void close() {
        if (runtime != null) {
            context.ungetService(reference);
        }
    }
}
