package dev.vesper.model;

import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.model.internal.Layout;
import dev.vesper.model.internal.RowTeam;
import dev.vesper.model.internal.VesperLM;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link ModelFactory} service for VesperLM.
 *
 * <p>Under OSGi, activation services are tracked dynamically: the models this factory creates look
 * their activation up by name in that live view at every forward pass, so stopping one activation
 * bundle and starting another takes effect at the next step, and a missing one fails with a message
 * that names it. Outside OSGi, pass any name-to-activation function.
 */
@Component(service = ModelFactory.class)
public final class VesperModelFactory implements ModelFactory {
    private final Function<String, Activation> activations;
    /** Registered activation services by name, best ranked first (OSGi only). */
    private final Map<String, List<Registered>> registry = new ConcurrentHashMap<>();
    /** Set as the component goes: its models then miss activations for that reason, not for want of a bundle. */
    private volatile boolean deactivated;

    /** For use outside OSGi: activations come from {@code activationLookup}, which may return null for none. */
    public VesperModelFactory(Function<String, Activation> activationLookup) {
        this.activations = Objects.requireNonNull(activationLookup, "activationLookup");
    }

    /** The DS constructor: activations come from the service registry. */
    @Activate
    public VesperModelFactory() {
        this.activations = this::registered;
    }

    /** Ends the decoding helper thread with the component, so that a bundle update leaves no thread behind. */
    @Deactivate
    void deactivate() {
        deactivated = true;
        RowTeam.shutdown();
    }

    @Reference(service = Activation.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindActivation(Activation activation, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(Activation.PROPERTY, activation.name()));
        List<Registered> list = registry.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
        synchronized (list) {
            list.add(new Registered(activation, properties));
            list.sort(null);
        }
    }

    void unbindActivation(Activation activation, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(Activation.PROPERTY, activation.name()));
        List<Registered> list = registry.get(name);
        if (list != null) {
            synchronized (list) {
                list.removeIf(r -> r.activation == activation);
            }
        }
    }

    private Activation registered(String name) {
        List<Registered> list = registry.get(name);
        if (list != null) {
            for (Registered r : list) {
                return r.activation;
            }
        }
        if (deactivated) {
            // its activations were unbound with it: asking for the activation's bundle would mislead
            throw new IllegalStateException("this model was made by a VesperLM bundle that has since been stopped,"
                    + " updated or refreshed; make it again with the one running now (load its checkpoint)");
        }
        return null;
    }

    @Override
    public LanguageModel create(ModelConfig config, long seed) {
        return new VesperLM(config, seed, activations);
    }

    @Override
    public List<String> presets() {
        return ModelConfig.PRESETS;
    }

    @Override
    public long parameterCount(ModelConfig config) {
        return Layout.parameterCount(config);
    }

    /** One activation service: highest {@code service.ranking} first, then lowest service id. */
    private static final class Registered implements Comparable<Registered> {
        final Activation activation;
        final int ranking;
        final long id;

        Registered(Activation activation, Map<String, Object> properties) {
            this.activation = activation;
            Object r = properties.get("service.ranking");
            this.ranking = r instanceof Integer i ? i : 0;
            Object id = properties.get("service.id");
            this.id = id instanceof Long l ? l : Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Registered o) {
            return ranking != o.ranking ? Integer.compare(o.ranking, ranking) : Long.compare(id, o.id);
        }
    }
}
