package dev.vesper.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * Lists the services registered under Vesper API interfaces, and says of each whether it can be used:
 * the registry lists a service whose component cannot be created, and one whose bundle carries its own
 * copy of the API, yet nothing that imports the API can use either. The embedding host, outside the
 * framework, makes the same check for its listings ({@code dev.vesper.host.ServiceUsability}): change
 * both together.
 */
final class ServiceCatalog {
    private static final String API_PREFIX = "dev.vesper.api.";
    /** The service properties that name a service within its kind, in the order they are tried. */
    private static final String[] NAME_PROPERTIES = {"vesper.backend", "vesper.activation", "vesper.optimizer",
        "vesper.data.scheme", "vesper.format", "vesper.export.format", "component.name"};
    /** The kinds the trainer looks up by name, whose "is not installed" {@link #explainNotInstalled} explains. */
    private static final List<String> NAMED_KINDS = List.of("OptimizerFactory", "Activation");
    private static final String FAILED_TO_ACTIVATE = "not usable: its component failed to activate (log/vesper.log says why)";

    private ServiceCatalog() {
    }

    static List<ServiceEntry> list(BundleContext context) {
        List<ServiceEntry> out = collect(context, kind -> true);
        out.sort(Comparator.comparing(ServiceEntry::kind).thenComparing(ServiceEntry::name));
        return out;
    }

    /** Entries of one kind (simple interface name), highest ranking first. */
    static List<ServiceEntry> ofKind(BundleContext context, String kind) {
        List<ServiceEntry> out = collect(context, kind::equals);
        out.sort(Comparator.comparingLong(ServiceEntry::ranking).reversed().thenComparing(ServiceEntry::name));
        return out;
    }

    /** The entries of the kinds {@code wanted} accepts; only those are checked, since a check may create a component. */
    private static List<ServiceEntry> collect(BundleContext context, Predicate<String> wanted) {
        List<ServiceEntry> out = new ArrayList<>();
        try (ComponentStates states = ComponentStates.open(context)) {
            for (ServiceReference<?> ref : references(context)) {
                Bundle provider = ref.getBundle();
                if (provider == null) {
                    continue;   // unregistered since the registry listed it
                }
                for (String type : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
                    String kind = type.substring(type.lastIndexOf('.') + 1);
                    if (type.startsWith(API_PREFIX) && wanted.test(kind)) {
                        out.add(entry(ref, provider, kind, unusable(context, states, ref, provider, type)));
                    }
                }
            }
        }
        return out;
    }

    /** The names of the usable entries, each once, in order. */
    static List<String> usableNames(List<ServiceEntry> entries) {
        return entries.stream().filter(ServiceEntry::usable).map(ServiceEntry::name).distinct().toList();
    }

    /** Why {@code name} cannot be used when every entry of that name is unusable; null when one is usable or none exists. */
    static String whyUnusable(List<ServiceEntry> entries, String name) {
        List<ServiceEntry> named = entries.stream().filter(e -> e.name().equals(name)).toList();
        if (named.isEmpty() || named.stream().anyMatch(ServiceEntry::usable)) {
            return null;
        }
        return named.get(0).unusable();
    }

    /**
     * The trainer binds only the services it can use, so it calls one it cannot "not installed" although
     * the console lists it: adds why each such name quoted in {@code message} is unusable.
     */
    static String explainNotInstalled(BundleContext context, String message) {
        if (message == null || !message.contains("is not installed")) {
            return message;
        }
        String out = message;
        for (String kind : NAMED_KINDS) {
            List<ServiceEntry> entries = ofKind(context, kind);
            for (String name : entries.stream().map(ServiceEntry::name).distinct().toList()) {
                String why = whyUnusable(entries, name);
                if (why != null) {
                    out = out.replace("'" + name + "' is not installed", "'" + name + "' is registered but " + why);
                }
            }
        }
        String unresolved = unresolved(context);
        return out.contains("is not installed") && !unresolved.isEmpty() ? out + "; " + unresolved : out;
    }

    /**
     * The bundles installed that could not be resolved, whose services are therefore not registered: the name asked
     * for may be one of theirs (a plug-in built against a newer API, or missing a library), or "".
     */
    private static String unresolved(BundleContext context) {
        List<String> names = java.util.Arrays.stream(context.getBundles())
                .filter(b -> b.getState() == Bundle.INSTALLED && b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .map(b -> b.getSymbolicName() + " [" + b.getBundleId() + "]").toList();
        if (names.isEmpty()) {
            return "";
        }
        boolean one = names.size() == 1;
        return (one ? "bundle " + names.get(0) + " is" : "bundles " + String.join(", ", names) + " are")
                + " installed but cannot start, so " + (one ? "its services are not here (the warning it gave"
                : "their services are not here (the warning each gave") + " says what it lacks)";
    }

    /**
     * Null when the console can use the service. The framework hands a service of another copy of the
     * API to no one who imports it; DS knows whether a component failed, or is in use.
     */
    private static String unusable(BundleContext context, ComponentStates states, ServiceReference<?> ref,
                                   Bundle provider, String type) {
        if (!ref.isAssignableTo(context.getBundle(), type)) {
            return "not usable: bundle " + provider.getSymbolicName() + " carries its own copy of "
                    + type.substring(0, type.lastIndexOf('.')) + "; it must import the package instead";
        }
        return switch (states.of(ref)) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> FAILED_TO_ACTIVATE;
            case ComponentConfigurationDTO.ACTIVE -> null;
            // not created yet, or no component's: only getting it tells
            default -> created(context, ref) ? null : FAILED_TO_ACTIVATE;
        };
    }

    /** Whether the service can be got; a component whose constructor or activate method throws comes back as null. */
    private static boolean created(BundleContext context, ServiceReference<?> ref) {
        if (context.getService(ref) == null) {
            return false;
        }
        context.ungetService(ref);
        return true;
    }

    private static ServiceReference<?>[] references(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, null);
            return refs == null ? new ServiceReference<?>[0] : refs;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServiceEntry entry(ServiceReference<?> ref, Bundle bundle, String kind, String unusable) {
        String name = "-";
        for (String p : NAME_PROPERTIES) {
            Object v = ref.getProperty(p);
            if (v != null) {
                name = v.toString();
                break;
            }
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new ServiceEntry(kind, name, bundle.getSymbolicName(), bundle.getVersion().toString(),
                ranking instanceof Integer i ? i : 0, unusable);
    }
}
