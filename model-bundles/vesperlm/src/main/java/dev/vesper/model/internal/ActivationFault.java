package dev.vesper.model.internal;

import dev.vesper.api.model.Activation;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * A failure that an activation's own code threw, named as the trainer names a plug-in's fault: a plug-in's
 * exception reaches generate and chat as its bare message otherwise ("forward blew up"), which says
 * neither whose code it was nor which bundle to blame.
 */
final class ActivationFault {
    private ActivationFault() {
    }

    /** {@code e} as the named activation's failure when its code threw it; {@code e} itself otherwise. */
    static RuntimeException named(RuntimeException e, Activation activation, String name) {
        if (!thrownBy(e, activation.getClass())) {
            return e;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IllegalStateException(describe(activation, name) + " failed: " + message, e);
    }

    /** {@code activation 'softsign' (bundle org.acme.sgdm)}; without the bundle outside a framework. */
    static String describe(Activation activation, String name) {
        Bundle bundle = FrameworkUtil.getBundle(activation.getClass());
        return "activation '" + name + "'" + (bundle == null ? ""
                : " (bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + ")");
    }

    private static boolean thrownBy(Throwable e, Class<?> type) {
        String own = type.getName();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals(own) || frame.getClassName().startsWith(own + "$")) {
                    return true;
                }
            }
        }
        return false;
    }
}
