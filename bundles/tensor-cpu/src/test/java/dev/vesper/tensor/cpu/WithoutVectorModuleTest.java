package dev.vesper.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.tensor.Tensor;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts a JVM without {@code --add-modules jdk.incubator.vector}: the backend must load, say it
 * runs the scalar path, and compute correctly.
 */
class WithoutVectorModuleTest {

    /** Runs in the child JVM. */
    public static void main(String[] args) {
        CpuBackend be = new CpuBackend();
        Tensor a = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3});
        Tensor b = Tensor.wrap(new float[] {1, 0, 0, 1, 1, 1}, new int[] {3, 2});
        Tensor c = Tensor.zeros(2, 2);
        be.matmul(a, false, b, false, c, 0f);
        boolean ok = c.get(0) == 4 && c.get(1) == 5 && c.get(2) == 10 && c.get(3) == 11;
        System.out.println(be.describe());
        System.out.println(ok ? "product ok" : "product wrong: " + java.util.Arrays.toString(c.toArray()));
    }

    @Test
    void scalarPathWhenTheIncubatorModuleIsAbsent() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleTest.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("scalar path (jdk.incubator.vector absent)"), out);
        assertTrue(out.contains("product ok"), out);
    }
}
