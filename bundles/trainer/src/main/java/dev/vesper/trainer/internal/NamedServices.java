package dev.vesper.trainer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Services of one kind found by name (optimizer factories, activations), as DS binds and unbinds
 * them. The highest {@code service.ranking} wins a name, then the lowest {@code service.id}, as the
 * framework itself orders services.
 */
public final class NamedServices<S> implements Function<String, S> {
    private record Entry<S>(String name, S service, int ranking, long id) {
    }

    private final String property;
    private final Function<S, String> nameOf;
    private final List<Entry<S>> entries = new CopyOnWriteArrayList<>();

    public NamedServices(String property, Function<S, String> nameOf) {
        this.property = property;
        this.nameOf = nameOf;
    }

    public void add(S service, Map<String, ?> properties) {
        Object n = properties.get(property);
        String name = n != null ? n.toString() : nameOf.apply(service);
        entries.add(new Entry<>(name, service, intOf(properties.get("service.ranking")),
                longOf(properties.get("service.id"))));
    }

    public void remove(S service) {
        entries.removeIf(e -> e.service() == service);
    }

    /** The service registered under {@code name} now, or null. */
    @Override
    public S apply(String name) {
        return entries.stream()
                .filter(e -> e.name().equals(name))
                .min(Comparator.<Entry<S>>comparingInt(e -> -e.ranking()).thenComparingLong(Entry::id))
                .map(Entry::service)
                .orElse(null);
    }

    /** The names installed now, for messages. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Entry<S> e : entries) {
            if (!names.contains(e.name())) {
                names.add(e.name());
            }
        }
        names.sort(null);
        return names;
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static long longOf(Object o) {
        return o instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}
