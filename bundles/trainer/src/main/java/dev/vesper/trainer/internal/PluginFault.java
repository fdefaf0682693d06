package dev.vesper.trainer.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Which of a job's plug-ins, its activation or its optimizer, a failed step's exception came from: the
 * top-most frame of the plug-in's class (or of another class in its package, for a plug-in from
 * another bundle) on the exception's stack or its causes'. A fault in a plug-in is a bundle's, not
 * the run's, so the job outlives it where it can.
 */
record PluginFault(String kind, String name, String bundle, String reason) {
    static final String ACTIVATION = "activation";
    static final String OPTIMIZER = "optimizer";

    /** The plug-in that threw {@code failure}, or null when neither did. */
    static PluginFault find(Throwable failure, String activationName, Object activation, String optimizerName,
                            Object optimizer) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (isIn(frame, activation)) {
                    return new PluginFault(ACTIVATION, activationName, bundleOf(activation), reason(failure));
                }
                if (isIn(frame, optimizer)) {
                    return new PluginFault(OPTIMIZER, optimizerName, bundleOf(optimizer), reason(failure));
                }
            }
        }
        return null;
    }

    boolean isActivation() {
        return kind.equals(ACTIVATION);
    }

    /** {@code activation 'boom' (bundle com.acme.boom): kaboom}. */
    @Override
    public String toString() {
        return kind + " '" + name + "'" + (bundle == null ? "" : " (bundle " + bundle + ")") + ": " + reason;
    }

    private static boolean isIn(StackTraceElement frame, Object plugin) {
        if (plugin == null) {
            return false;
        }
        Class<?> type = plugin.getClass();
        String frameClass = frame.getClassName();
        if (frameClass.equals(type.getName()) || frameClass.startsWith(type.getName() + "$")) {
            return true;
        }
        // a plug-in's helpers share its package; this bundle's own classes (test doubles among them) do not count
        String pkg = type.getPackageName();
        return !pkg.equals(PluginFault.class.getPackageName()) && frameClass.startsWith(pkg + ".")
                && frameClass.indexOf('.', pkg.length() + 1) < 0;
    }

    private static String bundleOf(Object plugin) {
        Bundle b = FrameworkUtil.getBundle(plugin.getClass());
        return b == null ? null : b.getSymbolicName();
    }

    private static String reason(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
