package dev.vesper.tensor.cpu.internal;

/**
 * The few inner loops that decide the speed of the non-GEMM kernels, in a Vector API version and a
 * scalar version. C2 does not auto-vectorise reductions or loops over offset-indexed flat arrays, so
 * the vector version is worth the indirection.
 */
public abstract class Simd {
    private static final Simd BEST = probe();

    /** The Vector API implementation when {@code jdk.incubator.vector} can be loaded, else the scalar one. */
    public static Simd best() {
        return BEST;
    }

    public static Simd scalar() {
        return ScalarSimd.INSTANCE;
    }

    private static Simd probe() {
        try {
            Class<?> c = Class.forName("dev.vesper.tensor.cpu.internal.VectorSimd");
            return (Simd) c.getConstructor().newInstance();
        } catch (LinkageError | ReflectiveOperationException | RuntimeException absent) {
            // the incubator module is not in the boot layer (or not wired in OSGi): stay scalar
            return ScalarSimd.INSTANCE;
        }
    }

    /** Whether this is the Vector API implementation. */
    public abstract boolean vectorised();

    /** Floats per vector register (1 for scalar). */
    public abstract int lanes();

    public abstract float dot(float[] a, int ao, float[] b, int bo, int n);

    /** {@code y += s·x}. */
    public abstract void axpy(float s, float[] x, int xo, float[] y, int yo, int n);

    public abstract float sum(float[] x, int xo, int n);

    public abstract float max(float[] x, int xo, int n);

    /** {@code y = exp(x − shift)}; returns {@code Σ y}. */
    public abstract float expShift(float[] x, int xo, float[] y, int yo, int n, float shift);

    /** {@code Σ (x − mean)²}. */
    public abstract float sumSquaredDeviation(float[] x, int xo, int n, float mean);

    /** {@code y = s·x}. */
    public abstract void scale(float s, float[] x, int xo, float[] y, int yo, int n);

    /**
     * Rotate-half RoPE of one row of {@code 2·half} values: {@code y₁ = x₁·c − x₂·s}, {@code y₂ = x₂·c + x₁·s}
     * with {@code c, s} from {@code cos, sin} at {@code to}. With {@code backward}, the transposed rotation
     * is added into {@code y}: {@code y₁ += x₁·c + x₂·s}, {@code y₂ += x₂·c − x₁·s}.
     */
    public abstract void rotateHalf(float[] x, int xo, float[] cos, float[] sin, int to, float[] y, int yo, int half,
                                    boolean backward);

    /** {@link #rotateHalf} for the pairs {@code j ∈ [from, half)}, one at a time. */
    static void rotatePairs(float[] x, int xo, float[] cos, float[] sin, int to, float[] y, int yo, int half,
                            boolean backward, int from) {
        for (int j = from; j < half; j++) {
            float c = cos[to + j], sn = sin[to + j];
            float x1 = x[xo + j], x2 = x[xo + j + half];
            if (backward) {
                y[yo + j] += x1 * c + x2 * sn;
                y[yo + j + half] += x2 * c - x1 * sn;
            } else {
                y[yo + j] = x1 * c - x2 * sn;
                y[yo + j + half] = x2 * c + x1 * sn;
            }
        }
    }

    /** LayerNorm of one row: {@code y = (x − mu)·rs·w + b}. */
    public abstract void normalizeRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                                      int n, float mu, float rs);

    /**
     * LayerNorm backward of one row into {@code dx} (added): with {@code g = dy·w} and
     * {@code x̂ = (x − mu)·rs}, {@code dx += rs·(g − mean(g) − x̂·mean(g·x̂))}.
     */
    public abstract void normalizeRowBackward(float[] dy, int go, float[] x, int xo, float[] w, int wo,
                                              float[] dx, int dxo, int n, float mu, float rs);

    /** LayerNorm parameter gradients of one row segment: {@code dw += dy·x̂}, {@code db += dy} (either may be null). */
    public abstract void normalizeParamGrads(float[] dy, int go, float[] x, int xo, float[] dw, int dwo,
                                             float[] db, int dbo, int n, float mu, float rs);

    /**
     * The GEMM micro-kernel: adds {@code aPanel·bPanel} over {@code kc} steps into the full
     * {@code tileRows() × tileCols()} tile of {@code c} at {@code co} with row stride {@code ldc}, or stores
     * it there when {@code accumulate} is false (an edge tile's scratch: C is not read). Row {@code r}'s
     * value at step {@code p} is {@code aPanel[ao + r·rs + p·as]}: {@code rs = 1, as = tileRows} packed,
     * {@code rs = 1, as = lda} for a transposed A read in place, {@code rs = lda, as = 1} for a row-major
     * A read in place. {@code bPanel} holds tileCols values per step, packed.
     */
    public abstract void gemmTile(float[] aPanel, int ao, int rs, int as, float[] bPanel, int bo, int kc, float[] c,
                                  int co, int ldc, boolean accumulate);

    /** Rows of the micro-kernel's tile. */
    public abstract int tileRows();

    /** Columns of the micro-kernel's tile. */
    public abstract int tileCols();
}
