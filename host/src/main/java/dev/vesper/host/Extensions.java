package dev.vesper.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The services of one extension point ({@code OptimizerFactory}, {@code Activation}) as {@link Extension}s. */
final class Extensions {
    private static final Comparator<Extension> BY_NAME_THEN_RANKING = Comparator.comparing(Extension::name)
            .thenComparing(Comparator.comparingInt(Extension::ranking).reversed());

    private final BundleContext context;
    private final String type;
    private final String nameProperty;
    private final String kind;

    /**
     * @param type the service interface's name
     * @param nameProperty the service property that names an extension
     * @param kind what messages call one ("optimizer")
     */
    Extensions(BundleContext context, String type, String nameProperty, String kind) {
        this.context = context;
        this.type = type;
        this.nameProperty = nameProperty;
        this.kind = kind;
    }

    /** Every registered one, usable or not, by name and the highest ranking first within a name. */
    List<Extension> list() {
        return list(new HashMap<>());
    }

    /** {@link #list()}, checking only the services that {@code checked} (by service id) does not know yet. */
    private List<Extension> list(Map<Object, Extension> checked) {
        List<Extension> out = new ArrayList<>();
        for (ServiceReference<?> ref : references()) {
            Extension e = describeOnce(checked, ref);
            if (e != null) {
                out.add(e);
            }
        }
        out.sort(BY_NAME_THEN_RANKING);
        return out;
    }

    /**
     * Waits up to {@code wait} for a usable one named {@code name}.
     *
     * @throws IllegalStateException on timeout, saying why the ones of that name that are registered cannot be used
     */
    Extension await(String name, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        // each service is checked once: checking a component that cannot be created tries to create it
        // again, and Declarative Services logs the failure again
        Map<Object, Extension> checked = new HashMap<>();
        while (true) {
            for (ServiceReference<?> ref : byRanking(references())) {
                if (name.equals(String.valueOf(ref.getProperty(nameProperty)))) {
                    Extension e = describeOnce(checked, ref);
                    if (e != null && e.usable()) {
                        return e;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(notThere(name, wait, checked));
            }
            Thread.sleep(50);
        }
    }

    private String notThere(String name, Duration wait, Map<Object, Extension> checked) {
        List<Extension> all = list(checked);
        List<Extension> named = all.stream().filter(e -> e.name().equals(name)).toList();
        String installed = "; installed: " + all.stream().filter(Extension::usable).toList();
        if (named.isEmpty()) {
            return "no " + kind + " '" + name + "' appeared within " + wait + installed;
        }
        String problems = named.stream().map(Extension::problem).filter(Objects::nonNull).distinct()
                .collect(Collectors.joining("; "));
        return kind + " '" + name + "' is registered but not usable (waited " + wait + "): " + problems + installed;
    }

    private Extension describeOnce(Map<Object, Extension> checked, ServiceReference<?> ref) {
        return checked.computeIfAbsent(ref.getProperty(Constants.SERVICE_ID), id -> describe(ref));
    }

    /** Null when the service has no name, or was unregistered meanwhile. */
    private Extension describe(ServiceReference<?> ref) {
        Object name = ref.getProperty(nameProperty);
        Bundle b = ref.getBundle();
        if (name == null || b == null) {
            return null;
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new Extension(name.toString(), b.getSymbolicName(), b.getVersion().toString(),
                ranking instanceof Integer i ? i : 0, ServiceUsability.problem(context, ref, b, type));
    }

    /** Highest ranking first: the ranking decides between services of one name. */
    private static List<ServiceReference<?>> byRanking(ServiceReference<?>[] refs) {
        List<ServiceReference<?>> out = new ArrayList<>(Arrays.asList(refs));
        out.sort(Collections.reverseOrder());
        return out;
    }

    /** All of them, including those of another copy of the API, which the listing must see to mark. */
    private ServiceReference<?>[] references() {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
            return refs == null ? new ServiceReference<?>[0] : refs;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
