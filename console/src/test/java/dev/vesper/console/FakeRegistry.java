package dev.vesper.console;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * A service registry in memory, behind the few {@link BundleContext} calls the console's registry
 * readers make; a filter is one {@code (key=value)} test. Every other call fails, so a reader that
 * needs more is noticed.
 */
final class FakeRegistry {
    private final List<ServiceReference<?>> references = new ArrayList<>();
    private final Map<ServiceReference<?>, Object> services = new HashMap<>();
    private int held;
    private final Bundle bundle = proxy(Bundle.class, (name, args) -> switch (name) {
        case "getSymbolicName" -> "test.bundle";
        case "getVersion" -> new Version(1, 0, 0);
        default -> null;
    });

    private interface Call {
        Object answer(String method, Object[] args);
    }

    /** Registers {@code service} under {@code type}'s name with properties given as key, value, .... */
    FakeRegistry add(Class<?> type, Object service, Object... properties) {
        Map<String, Object> props = new HashMap<>();
        props.put("objectClass", new String[] {type.getName()});
        props.put("service.id", (long) references.size() + 1);
        for (int i = 0; i < properties.length; i += 2) {
            props.put((String) properties[i], properties[i + 1]);
        }
        ServiceReference<?> ref = proxy(ServiceReference.class, (name, args) -> switch (name) {
            case "getProperty" -> props.get((String) args[0]);
            case "getBundle" -> bundle;
            case "hashCode" -> System.identityHashCode(props);
            case "equals" -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
                    && props.get("service.id").equals(((ServiceReference<?>) args[0]).getProperty("service.id"));
            default -> throw new AssertionError("unexpected call: " + "ServiceReference." + name);
        });
        references.add(ref);
        services.put(ref, service);
        return this;
    }

    /** Services got and not yet ungot: a reader that leaves any leaks them. */
    int held() {
        return held;
    }

    BundleContext context() {
        return proxy(BundleContext.class, (name, args) -> switch (name) {
            case "getAllServiceReferences", "getServiceReferences" -> matching((String) args[0], (String) args[1]);
            case "getServiceReference" -> {
                String type = args[0] instanceof Class<?> c ? c.getName() : (String) args[0];
                ServiceReference<?>[] found = matching(type, null);
                yield found == null ? null : found[0];
            }
            case "getService" -> {
                held++;
                yield services.get(args[0]);
            }
            case "ungetService" -> {
                held--;
                yield true;
            }
            default -> throw new AssertionError("unexpected call: " + "BundleContext." + name);
        });
    }

    private ServiceReference<?>[] matching(String type, String filter) {
        List<ServiceReference<?>> out = new ArrayList<>();
        for (ServiceReference<?> ref : references) {
            if ((type == null || List.of((String[]) ref.getProperty("objectClass")).contains(type))
                    && (filter == null || matches(ref, filter))) {
                out.add(ref);
            }
        }
        return out.isEmpty() ? null : out.toArray(new ServiceReference<?>[0]);
    }

    private static boolean matches(ServiceReference<?> ref, String filter) {
        String[] test = filter.substring(1, filter.length() - 1).split("=", 2);
        return test[1].equals(String.valueOf(ref.getProperty(test[0])));
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Call call) {
        return (T) Proxy.newProxyInstance(FakeRegistry.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> call.answer(method.getName(), args));
    }
}
