package dev.vesper.tensor.cpu.internal;

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
        Simd simd = Simd.best();
        StringBuilder out = new StringBuilder(simd.vectorised() ? "vector\n" : "scalar\n");
        for (float f : kernels(simd)) {
            out.append(Integer.toHexString(Float.floatToIntBits(f))).append('\n');
        }
        System.out.print(out);
    }

    /** Every Simd kernel that reduces lanes or takes exponentials, on fixed inputs; the outputs in a row. */
    static float[] kernels(Simd simd) {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 3 * L + 5;                            // the vector loops and the scalar tails both run
        float[] a = new float[n], b = new float[n], w = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-3, 3);
            b[i] = (float) rnd.nextDouble(-3, 3);
            w[i] = (float) rnd.nextDouble(0.5, 1.5);
        }
        float[] e = new float[n];
        float[] dx = new float[n];
        List<Float> r = new ArrayList<>();
        r.add(simd.dot(a, 0, b, 0, n));
        r.add(simd.dot(a, 1, b, 2, n - 2));
        r.add(simd.sum(a, 0, n));
        r.add(simd.sumSquaredDeviation(a, 0, n, 0.25f));
        simd.normalizeRowBackward(b, 0, a, 0, w, 0, dx, 0, n, 0.1f, 1.3f);
        for (float f : dx) {
            r.add(f);
        }
        float[] wide = new float[EDGES.length + 40 * L];
        System.arraycopy(EDGES, 0, wide, 0, EDGES.length);
        for (int i = EDGES.length; i < wide.length; i++) {
            wide[i] = (float) rnd.nextDouble(-110, 95);
        }
        float[] ew = new float[wide.length];
        r.add(simd.expShift(a, 0, e, 0, n, 2.5f));
        r.add(simd.expShift(wide, 0, ew, 0, wide.length, 0f));
        for (float f : e) {
            r.add(f);
        }
        for (float f : ew) {
            r.add(f);
        }
        float[] flat = new float[r.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = r.get(i);
        }
        return flat;
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        Simd simd = Simd.best();
        assertTrue(simd.vectorised(), "the test JVM should run the vector path");
        float[] first = kernels(simd);
        float[] last = first;
        for (int i = 0; i < 20_000; i++) {            // enough calls for C2 to compile the kernels
            last = kernels(simd);
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
