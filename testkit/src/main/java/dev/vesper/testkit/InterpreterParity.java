package dev.vesper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Checks that Vector API kernels give the same bits JIT-compiled as interpreted, so seeded runs repeat.
 * The reference runs in a child JVM under {@code -Xint}, since an earlier test in this JVM may already
 * have compiled the kernels; the child runs the test class's {@code main}, which calls {@link #print}.
 */
public final class InterpreterParity {
    /** Values at the edges of exp and tanh: zeros, tiny, the polynomial switch, underflow, overflow. */
    public static final float[] EDGES = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, 0.625f, -0.625f, 0.62499994f, 0.6250001f, 1f, -1f, 9f, -9f, 20f, -20f,
        -87.33655f, -87.34f, -103.27893f, -103.97208f, -103.98f, -104f, -104.1f, -200f, 88.72283f, 88.7229f,
        88.73f, 89f, 100f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN};
    /** Enough calls for C2 to compile the kernels. */
    private static final int CALLS = 20_000;

    private InterpreterParity() {
    }

    /** Inputs of every sign and size, the finite EDGES first, the rest uniform in [lo, hi). */
    public static float[] inputs(SplittableRandom rnd, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < EDGES.length && Float.isFinite(EDGES[i]) && Math.abs(EDGES[i]) < 200 ? EDGES[i]
                    : (float) rnd.nextDouble(lo, hi);
        }
        return x;
    }

    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }

    /** For the child JVM's {@code main}: which path ran, then each result's bits, one per line. */
    public static void print(boolean vectorPath, float[] results) {
        StringBuilder out = new StringBuilder(vectorPath ? "vector\n" : "scalar\n");
        for (float f : results) {
            out.append(Integer.toHexString(Float.floatToIntBits(f))).append('\n');
        }
        System.out.print(out);
    }

    /**
     * Runs {@code kernels} until compiled, then {@code mainClass} under {@code -Xint}, and asserts that
     * the first (interpreted) call, the last (compiled) call and the child's results are the same bits.
     */
    public static void assertCompiledMatchesInterpreter(Class<?> mainClass, Supplier<float[]> kernels) throws Exception {
        float[] first = kernels.get();
        float[] last = first;
        for (int i = 0; i < CALLS; i++) {
            last = kernels.get();
        }
        List<String> lines = runInterpreted(mainClass);
        assertEquals("vector", lines.get(0), "the -Xint child JVM should run the vector path: " + lines);
        assertEquals(last.length + 1, lines.size(), "result count");
        for (int i = 0; i < last.length; i++) {
            int interpreted = (int) Long.parseLong(lines.get(i + 1), 16);
            assertEquals(interpreted, Float.floatToIntBits(last[i]), "result " + i + " compiled "
                    + last[i] + " vs interpreted " + Float.intBitsToFloat(interpreted));
            assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(last[i]), "result " + i);
        }
    }

    private static List<String> runInterpreted(Class<?> mainClass) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the -Xint child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("WARNING")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }
}
