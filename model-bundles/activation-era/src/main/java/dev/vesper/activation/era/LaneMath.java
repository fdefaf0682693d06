package dev.vesper.activation.era;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums, exp and tanh on {@link FloatVector}s that give the same bits interpreted, C1-compiled and
 * C2-compiled, so that a seeded run repeats exactly within one JVM.
 * <p>
 * {@code reduceLanes(ADD)} leaves the order of its additions unspecified, and the Java fallback and the C2
 * intrinsic differ; {@code lanewise(EXP/TANH)} calls {@code Math.exp/tanh} per lane in the fallback but SVML
 * stubs once compiled. Everything here is built from lane-wise IEEE operations that are exact in every
 * mode: add, mul, fma, min/max, compare/blend, bit reinterpretation and integer adds and shifts (no float to
 * int conversion: C2 on JDK 17 does not give Java's answer for out-of-range lanes).
 * <p>
 * Each bundle that needs this keeps its own copy of this small class rather than importing it from an
 * exported library package: the bundles are independent of one another, each imports
 * {@code jdk.incubator.vector} optionally and loads its vector path only after a probe, and a shared package
 * would tie their resolution and versioning together for some sixty lines of arithmetic.
 * The copies (tensor-cpu, vesperlm, activation-era, activation-gelu, activation-silu) are identical apart
 * from package and visibility, and each bundle's LaneMathTest checks its own; change them together.
 * <p>
 * A vector that crosses a call C2 does not inline is boxed on the heap. exp and tanh are called from the
 * kernels' loops, where they are parsed early in a compilation and get inlined; the lane sums, which come
 * after, are written out in the kernels (see {@link #sum}).
 */
final class LaneMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Butterfly partners i ^ k; null where k is not below the lane count. */
    static final VectorShuffle<Float> X1 = partner(1);
    static final VectorShuffle<Float> X2 = partner(2);
    static final VectorShuffle<Float> X4 = partner(4);
    static final VectorShuffle<Float> X8 = partner(8);

    /** Below this exp(x) rounds to 0 in float; above this it overflows to infinity. */
    private static final float EXP_LO = -104f;
    private static final float EXP_HI = 89f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts (Cephes): the first has few bits, so n·LN2_HI is exact for |n| < 2^9. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;
    /** Polynomial coefficients (Cephes expf, tanhf) past the first two, as vectors for fused Horner steps. */
    private static final FloatVector E2 = FloatVector.broadcast(S, 8.3334519073E-3f);
    private static final FloatVector E3 = FloatVector.broadcast(S, 4.1665795894E-2f);
    private static final FloatVector E4 = FloatVector.broadcast(S, 1.6666665459E-1f);
    private static final FloatVector E5 = FloatVector.broadcast(S, 5.0000001201E-1f);
    private static final FloatVector T2 = FloatVector.broadcast(S, -5.37397155531E-2f);
    private static final FloatVector T3 = FloatVector.broadcast(S, 1.33314422036E-1f);
    private static final FloatVector T4 = FloatVector.broadcast(S, -3.33332819422E-1f);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final float TANH_SMALL = 0.625f;
    private static final int SIGN = 0x80000000;

    static {
        if (L > 16 || L < 4 || I.length() != L) {
            throw new IllegalStateException("unsupported vector length " + L);
        }
    }

    private LaneMath() {
    }

    private static VectorShuffle<Float> partner(int k) {
        return k < L ? VectorShuffle.fromOp(S, i -> i ^ k) : null;
    }

    /**
     * Sum of the lanes by a fixed butterfly (partners at distance 1, 2, 4, 8): every lane ends with the same
     * total, read from lane 0. The kernels write these lines out after their loops instead of calling this:
     * C2 stops inlining ordinary calls once a compilation holds too many nodes (a kernel inlined into a large
     * caller, after an inlined exp, reaches that), and a vector passed to a call that is not inlined is boxed
     * on the heap. This method is the reference the tests hold them to.
     */
    static float sum(FloatVector v) {
        v = v.add(v.rearrange(X1));
        v = v.add(v.rearrange(X2));
        v = L < 8 ? v : v.add(v.rearrange(X4));
        v = L < 16 ? v : v.add(v.rearrange(X8));
        return v.lane(0);
    }

    /**
     * e^x per lane, within 2 ulp of the correctly rounded value over the float range (subnormal results
     * included); 0 below -104, +Inf above 88.73, NaN for NaN. Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2,
     * e^r by a degree-6 polynomial, times 2^n built in the exponent bits in two halves so that subnormal and
     * near-overflow results are reached with one rounding.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f)
                .fma(r, E2)
                .fma(r, E3)
                .fma(r, E4)
                .fma(r, E5);
        p = p.fma(r.mul(r), r).add(1f);
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * tanh(x) per lane, within 2 ulp of the correctly rounded value: an odd polynomial (Cephes tanhf) for
     * |x| < 0.625, where 1 − 2/(e^{2|x|} + 1) would lose relative accuracy, and that formula with the sign of
     * x elsewhere.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector small = z.fma(-5.70498872745E-3f, 2.06390887954E-2f)
                .fma(z, T2)
                .fma(z, T3)
                .fma(z, T4)
                .mul(z)
                .fma(x, x);
        FloatVector big = exp(a.add(a)).add(1f);
        big = ONE.sub(TWO.div(big));
        IntVector sign = x.reinterpretAsInts().and(SIGN);
        big = big.reinterpretAsInts().or(sign).reinterpretAsFloats();
        VectorMask<Float> near0 = a.lt(TANH_SMALL);
        return big.blend(small, near0);
    }
}
