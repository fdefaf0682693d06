package dev.vesper.optim.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without the {@code jdk.incubator.vector} module the engine falls back to the scalar loop, and the
 * parameters come out with the same bits as the Vector API path gives in this JVM.
 */
class WithoutVectorModuleTest {
    @Test
    void aJvmWithoutTheModuleStepsToTheSameBits() throws IOException, InterruptedException {
        assertTrue(AdamKernel.vectorized(), "this JVM should have the module");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Run.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("vectorized=false " + Run.checksum(), out);
    }

    /** The child: a few sparse and dense steps over odd-sized tensors, then a hash of the bits. */
    public static final class Run {
        public static void main(String[] args) {
            System.out.println("vectorized=" + AdamKernel.vectorized() + " " + checksum());
        }

        static long checksum() {
            Tensor a = Tensor.zeros(37, 19).requiresGrad(true);
            Tensor b = Tensor.zeros(70_001).requiresGrad(true);
            List<Parameter> ps = List.of(new Parameter("a", a, true), new Parameter("b", b, false));
            AdamEngine engine = new AdamEngine(ps, AdamSettings.defaults().withThreads(2));
            long h = 17;
            for (int step = 1; step <= 6; step++) {
                for (Parameter p : ps) {
                    float[] g = p.value().grad();
                    for (int i = 0; i < g.length; i++) {
                        g[i] = (i * 31 + step * 7) % 11 == 0 ? 0f : (float) Math.sin(i * 0.37 + step);
                    }
                }
                engine.update(1e-2, 0.9 - 0.01 * step, step % 2 == 0, 0.0);
            }
            for (Parameter p : ps) {
                for (int i = 0; i < p.value().size(); i++) {
                    h = h * 1_000_003 + Float.floatToRawIntBits(p.value().get(i));
                }
            }
            return h;
        }
    }
}
