package dev.vesper.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels give the same bits interpreted and C2-compiled (the reference runs in a child JVM
 * under {@code -Xint}, since an earlier test in this JVM may already have compiled them). The exp/tanh accuracy is
 * checked once, in the lane-math bundle.
 */
class KernelDeterminismTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float[] EDGES = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, 0.625f, -0.625f, 0.62499994f, 0.6250001f, 1f, -1f, 9f, -9f, 20f, -20f,
        -87.33655f, -87.34f, -103.27893f, -103.97208f, -103.98f, -104f, -104.1f, -200f, 88.72283f, 88.7229f,
        88.73f, 89f, 100f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN};

    /** Runs in the child JVM: prints the kernels' results as raw bits. */
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder(VectorKernels.usable() ? "vector\n" : "scalar\n");
        for (float f : kernels()) {
            out.append(Integer.toHexString(Float.floatToIntBits(f))).append('\n');
        }
        System.out.print(out);
    }

    /** Inputs of every sign and size, the EDGES first; length not a multiple of the lane count. */
    static float[] inputs(SplittableRandom rnd, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < EDGES.length && Float.isFinite(EDGES[i]) && Math.abs(EDGES[i]) < 200 ? EDGES[i]
                    : (float) rnd.nextDouble(lo, hi);
        }
        return x;
    }

    static float[] concat(float[]... parts) {
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

    /** The decoder's dot products, matrix-vector product and softmax exponentials on fixed inputs. */
    static float[] kernels() {
        SplittableRandom rnd = new SplittableRandom(7);
        int cols = 5 * L + 3, rows = 4;
        float[] w = inputs(rnd, rows * cols, -2, 2);
        float[] x = inputs(new SplittableRandom(8), cols, -2, 2);
        float[] y = new float[rows];
        VectorKernels.gemv(w, 0, cols, x, 0, y, 0, 0, rows);
        float[] d = {VectorKernels.dot(w, 1, x, 0, cols - 1), VectorKernels.dot(w, 0, x, 0, 2 * L + 1)};
        float[] e = inputs(rnd, 40 * L + 3, -110, 0);
        float[] sum = {VectorKernels.expShift(e, e.length, -2.5f)};
        return concat(y, d, e, sum);
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        assertTrue(VectorKernels.usable(), "the test JVM should run the vector path");
        float[] first = kernels();
        float[] last = first;
        for (int i = 0; i < 20_000; i++) {            // enough calls for C2 to compile the kernels
            last = kernels();
        }
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), KernelDeterminismTest.class.getName()))
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
        assertEquals("vector", lines.get(0), out);
        assertEquals(last.length + 1, lines.size(), "result count");
        for (int i = 0; i < last.length; i++) {
            int interpreted = (int) Long.parseLong(lines.get(i + 1), 16);
            assertEquals(interpreted, Float.floatToIntBits(last[i]), "result " + i + " compiled "
                    + last[i] + " vs interpreted " + Float.intBitsToFloat(interpreted));
            assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(last[i]), "result " + i);
        }
    }
}
