package dev.vesper.console;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The commands of the {@code vesper} scope as their services declare them: each function's
 * {@code @Descriptor} and the options its {@code @Parameter}s name. {@code help} lists them and the
 * shell's Tab completion offers them, so a command added by any bundle is described and completed
 * without a list kept by hand.
 */
final class VesperCommands {
    static final String SCOPE = "vesper";
    static final String SCOPE_FILTER = "(osgi.command.scope=" + SCOPE + ")";
    /** A command's description for bundles that do not use Gogo's {@code @Descriptor}. */
    static final String DESCRIPTION_PROPERTY = "vesper.command.description";

    /**
     * One option: its names ({@code --steps}), what it is, whether a value follows it, and the value
     * it takes when absent ("" when the command or the service decides).
     */
    record Option(List<String> names, String description, boolean takesValue, String absentValue) {
    }

    /**
     * One command: its function name, what it does, its options in declaration order, and what its
     * trailing words are (null when it takes none).
     */
    record Command(String name, String description, List<Option> options, String words) {
        Option option(String name) {
            for (Option o : options) {
                if (o.names().contains(name)) {
                    return o;
                }
            }
            return null;
        }
    }

    private VesperCommands() {
    }

    /** The commands by name. */
    static Map<String, Command> list(BundleContext context) {
        Map<String, Command> out = new TreeMap<>();
        try (ComponentStates states = ComponentStates.open(context)) {
            for (ServiceReference<?> ref : references(context)) {
                Class<?> type = type(context, states, ref);
                if (type == null) {
                    continue;
                }
                Object fallback = ref.getProperty(DESCRIPTION_PROPERTY);
                for (String function : functions(ref.getProperty("osgi.command.function"))) {
                    out.put(function, withDefaults(command(type, function, fallback), OptionDefaults.of(type, function)));
                }
            }
        }
        return out;
    }

    /** The command a line's first word names in Vesper's scope ({@code train}, {@code vesper:train}), or null for another scope's. */
    static String nameIn(String word) {
        int colon = word.indexOf(':');
        if (colon < 0) {
            return word;
        }
        return word.substring(0, colon).equals(SCOPE) ? word.substring(colon + 1) : null;
    }

    /**
     * The class whose methods are the command's; null when it is going. A component's class is loaded as DS
     * describes it, and the component is not created: getting one that DS is taking down (its bundle stopping,
     * or a service it needs gone, as all at once in a felix:refresh) gives null, which the framework reports as
     * an ERROR on the terminal, although nothing failed. Any other service is got for its class.
     */
    private static Class<?> type(BundleContext context, ComponentStates states, ServiceReference<?> ref) {
        if (ComponentStates.isComponent(ref)) {
            return states.implementation(ref);
        }
        Object service = context.getService(ref);
        if (service == null) {
            return null;
        }
        context.ungetService(ref);
        return service.getClass();
    }

    /** The service ids behind the scope's commands, which change when a command comes or goes. */
    static String signature(BundleContext context) {
        StringBuilder ids = new StringBuilder();
        for (ServiceReference<?> ref : references(context)) {
            ids.append(ref.getProperty("service.id")).append(',');
        }
        return ids.toString();
    }

    private static ServiceReference<?>[] references(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, SCOPE_FILTER);
            return refs == null ? new ServiceReference<?>[0] : refs;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> functions(Object property) {
        if (property instanceof String[] names) {
            return List.of(names);
        }
        return property == null ? List.of() : List.of(property.toString());
    }

    static Command command(Class<?> type, String function, Object fallback) {
        String description = null;
        String words = null;
        Map<String, Option> options = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(function)) {
                continue;
            }
            Descriptor d = m.getAnnotation(Descriptor.class);
            if (d != null && description == null) {
                description = d.value();
            }
            Annotation[][] parameters = m.getParameterAnnotations();
            for (Annotation[] annotations : parameters) {
                Option o = option(annotations);
                if (o != null) {
                    options.putIfAbsent(o.names().get(0), o);
                }
            }
            if (words == null && m.isVarArgs()) {
                words = trailingWords(parameters[parameters.length - 1]);
            }
        }
        if (description == null) {
            description = fallback != null ? fallback.toString() : "see: help " + function;
        }
        return new Command(function, description, List.copyOf(options.values()), words);
    }

    /** The command with {@code defaults} for its options whose {@code @Parameter} leaves the default to the code. */
    static Command withDefaults(Command c, Map<String, String> defaults) {
        List<Option> options = new java.util.ArrayList<>();
        for (Option o : c.options()) {
            String shown = o.absentValue().isEmpty() ? defaults.getOrDefault(o.names().get(0), "") : o.absentValue();
            options.add(new Option(o.names(), o.description(), o.takesValue(), shown));
        }
        return new Command(c.name(), c.description(), List.copyOf(options), c.words());
    }

    /** What a command's trailing words are, from their {@code @Descriptor}; null for a command that takes none. */
    private static String trailingWords(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof Descriptor d && !d.value().equals(Words.OPTIONS_ONLY)) {
                return d.value();
            }
        }
        return null;
    }

    private static Option option(Annotation[] annotations) {
        Parameter parameter = null;
        String description = "";
        for (Annotation a : annotations) {
            if (a instanceof Parameter p) {
                parameter = p;
            } else if (a instanceof Descriptor d) {
                description = d.value();
            }
        }
        if (parameter == null) {
            return null;
        }
        // Gogo's flags are the parameters given a presentValue; the others take the next word
        boolean flag = !Parameter.UNSPECIFIED.equals(parameter.presentValue());
        String absent = flag || TrainOptions.UNSET.equals(parameter.absentValue()) ? "" : parameter.absentValue();
        return new Option(List.of(parameter.names()), description, !flag, absent);
    }
}
