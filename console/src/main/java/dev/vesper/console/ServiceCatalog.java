package dev.vesper.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Lists the services registered under Vesper API interfaces. */
final class ServiceCatalog {
    private static final String API_PREFIX = "dev.vesper.api.";
    /** The service properties that name a service within its kind, in the order they are tried. */
    private static final String[] NAME_PROPERTIES = {"vesper.backend", "vesper.activation", "vesper.optimizer",
        "vesper.data.scheme", "vesper.format", "vesper.export.format", "component.name"};

    private ServiceCatalog() {
    }

    static List<ServiceEntry> list(BundleContext context) {
        List<ServiceEntry> out = new ArrayList<>();
        for (ServiceReference<?> ref : references(context)) {
            for (String kind : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
                if (kind.startsWith(API_PREFIX)) {
                    out.add(entry(ref, kind.substring(kind.lastIndexOf('.') + 1)));
                }
            }
        }
        out.sort(Comparator.comparing(ServiceEntry::kind).thenComparing(ServiceEntry::name));
        return out;
    }

    /** Entries of one kind (simple interface name), highest ranking first. */
    static List<ServiceEntry> ofKind(BundleContext context, String kind) {
        List<ServiceEntry> out = new ArrayList<>();
        for (ServiceEntry e : list(context)) {
            if (e.kind().equals(kind)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(ServiceEntry::ranking).reversed().thenComparing(ServiceEntry::name));
        return out;
    }

    private static ServiceReference<?>[] references(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, null);
            return refs == null ? new ServiceReference<?>[0] : refs;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServiceEntry entry(ServiceReference<?> ref, String kind) {
        String name = "-";
        for (String p : NAME_PROPERTIES) {
            Object v = ref.getProperty(p);
            if (v != null) {
                name = v.toString();
                break;
            }
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new ServiceEntry(kind, name, ref.getBundle().getSymbolicName(),
                ref.getBundle().getVersion().toString(), ranking instanceof Integer i ? i : 0);
    }
}
