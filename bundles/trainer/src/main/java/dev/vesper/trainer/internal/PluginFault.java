package dev.vesper.trainer.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Which of a job's plug-ins, its activation or its optimizer, a failed step's exception came from, read
 * from the exception's stack and its causes': a frame of the plug-in's own class (or a class nested in
 * it) first; failing that, a frame of another class in its package, for a plug-in from another bundle.
 * When both plug-ins share that package (one bundle may ship both), the optimizer is blamed: its
 * fault ends the run, the safe reading when it cannot be told which of the two threw. A fault in a
 * plug-in is a bundle's, not the run's, so the job outlives it where it can.
 */
record PluginFault(String kind, String name, String bundle, String reason) {
    static final String ACTIVATION = "activation";
    static final String OPTIMIZER = "optimizer";

    /** The plug-in that threw {@code failure}, or null when neither did. */
    static PluginFault find(Throwable failure, String activationName, Object activation, String optimizerName,
                            Object optimizer) {
        PluginFault byActivation = new PluginFault(ACTIVATION, activationName, bundleOf(activation), reason(failure));
        PluginFault byOptimizer = new PluginFault(OPTIMIZER, optimizerName, bundleOf(optimizer), reason(failure));
        for (boolean ownClass : new boolean[] {true, false}) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    boolean inOptimizer = isIn(frame, optimizer, ownClass);
                    if (inOptimizer || isIn(frame, activation, ownClass)) {
                        return inOptimizer ? byOptimizer : byActivation;
                    }
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

    private static boolean isIn(StackTraceElement frame, Object plugin, boolean ownClass) {
        if (plugin == null) {
            return false;
        }
        Class<?> type = plugin.getClass();
        String frameClass = frame.getClassName();
        if (ownClass) {
            return frameClass.equals(type.getName()) || frameClass.startsWith(type.getName() + "$");
        }
        // a plug-in's helpers share its package; this bundle's own classes (test doubles among them) do not count
        String pkg = type.getPackageName();
        return !pkg.equals(PluginFault.class.getPackageName()) && frameClass.startsWith(pkg + ".")
                && frameClass.indexOf('.', pkg.length() + 1) < 0;
    }

    static String bundleOf(Object plugin) {
        Bundle b = plugin == null ? null : FrameworkUtil.getBundle(plugin.getClass());
        // with the version: two versions of a plug-in may both be installed, and a replaced jar may be either
        return b == null ? null : b.getSymbolicName() + " " + b.getVersion();
    }

    static String reason(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
