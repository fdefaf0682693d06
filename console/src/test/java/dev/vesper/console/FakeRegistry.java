package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** Registrations whose bundle carries its own copy of the API: no reader that imports the API can use them. */
    private final Set<ServiceReference<?>> ownCopies = new HashSet<>();
    private final Map<ServiceReference<?>, Bundle> providers = new HashMap<>();
    private final List<Bundle> unresolved = new ArrayList<>();
    private int held;
    private final Bundle bundle = bundle("test.bundle");
    private final Bundle console = bundle("dev.vesper.vesper-console");

    private interface Call {
        Object answer(String method, Object[] args) throws Exception;
    }

    /**
     * Registers {@code service} under {@code type}'s name with properties given as key, value, ...; a null
     * service stands for a component that fails to activate: getting it gives null, as the framework does.
     */
    FakeRegistry add(Class<?> type, Object service, Object... properties) {
        Map<String, Object> props = new HashMap<>();
        props.put("objectClass", new String[] {type.getName()});
        props.put("service.id", (long) references.size() + 1);
        for (int i = 0; i < properties.length; i += 2) {
            props.put((String) properties[i], properties[i + 1]);
        }
        ServiceReference<?> ref = proxy(ServiceReference.class, (name, args) -> switch (name) {
            case "getProperty" -> props.get((String) args[0]);
            case "getBundle" -> providers.getOrDefault(references.get(idOf(props) - 1), bundle);
            case "isAssignableTo" -> {
                assertSame(console, args[0], "assignable to whom");
                yield !ownCopies.contains(references.get(idOf(props) - 1));
            }
            case "hashCode" -> System.identityHashCode(props);
            case "equals" -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
                    && props.get("service.id").equals(((ServiceReference<?>) args[0]).getProperty("service.id"));
            default -> throw new AssertionError("unexpected call: " + "ServiceReference." + name);
        });
        references.add(ref);
        services.put(ref, service);
        return this;
    }

    /** The last service added comes from bundle {@code symbolicName}, which carries its own copy of the API. */
    FakeRegistry withOwnApiCopy(String symbolicName) {
        ServiceReference<?> last = references.get(references.size() - 1);
        ownCopies.add(last);
        providers.put(last, bundle(symbolicName));
        return this;
    }

    /** A bundle installed that the framework could not resolve, so that none of its services is registered. */
    FakeRegistry withUnresolvedBundle(String symbolicName, long id) {
        unresolved.add(proxy(Bundle.class, (name, args) -> switch (name) {
            case "getSymbolicName" -> symbolicName;
            case "getBundleId" -> id;
            case "getState" -> Bundle.INSTALLED;
            case "getHeaders" -> new java.util.Hashtable<String, String>();
            default -> throw new AssertionError("unexpected call: Bundle." + name);
        }));
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
            case "getBundle" -> console;
            case "getBundles" -> unresolved.toArray(new Bundle[0]);
            case "getService" -> {
                if (ownCopies.contains(args[0])) {
                    throw new AssertionError("got a service of another copy of the API");
                }
                Object service = services.get(args[0]);
                if (service != null) {
                    held++;
                }
                yield service;
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

    private static int idOf(Map<String, Object> props) {
        return ((Long) props.get("service.id")).intValue();
    }

    private static Bundle bundle(String symbolicName) {
        return proxy(Bundle.class, (name, args) -> switch (name) {
            case "getSymbolicName" -> symbolicName;
            case "getVersion" -> new Version(1, 0, 0);
            case "loadClass" -> Class.forName((String) args[0]);
            case "getState" -> Bundle.ACTIVE;
            default -> null;
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Call call) {
        return (T) Proxy.newProxyInstance(FakeRegistry.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> call.answer(method.getName(), args));
    }
}
