package dev.vesper.lanemath;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums of {@link FloatVector}s, and exp and tanh on the lanes of a vector held in an array, that give the
 * same bits interpreted, C1-compiled and C2-compiled, so that a seeded run repeats exactly within one JVM.
 * <p>
 * {@code reduceLanes(ADD)} leaves the order of its additions unspecified, and the Java fallback and the C2
 * intrinsic differ; {@code lanewise(EXP/TANH)} calls {@code Math.exp/tanh} per lane in the fallback but SVML
 * stubs once compiled. Everything here is built from lane-wise IEEE operations that are exact in every
 * mode: add, mul, div, fma, min/max, abs, compare/blend, bit reinterpretation, integer multiply, and, or
 * (no float to int conversion: C2 on JDK 17 does not give Java's answer for out-of-range lanes).
 * <p>
 * One exported, versioned package serves every bundle with Vector API kernels (tensor-cpu, vesperlm,
 * and the era, gelu and silu activations): they import it and touch it only on their vector paths, so
 * without {@code jdk.incubator.vector} this bundle still resolves and nothing loads this class.
 * <p>
 * C2 stops inlining ordinary calls once a compilation holds too many nodes (some 18000; one exp written
 * with the Vector API costs several thousand), and a vector passed to a call that is not inlined is boxed on
 * the heap, per call. So nothing here takes or returns a vector on the kernels' paths: exp and tanh work in
 * place on L lanes of an array (the kernels stage their argument in their output row), so that a call C2
 * does not inline costs a call, never an allocation; the lane sums are written out in the kernels (see
 * {@link #sum}).
 */
public final class LaneMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Butterfly partners i ^ k; null where k is not below the lane count. */
    public static final VectorShuffle<Float> X1 = partner(1);
    public static final VectorShuffle<Float> X2 = partner(2);
    public static final VectorShuffle<Float> X4 = partner(4);
    public static final VectorShuffle<Float> X8 = partner(8);

    /** Below this exp(x) rounds to 0 in float; above this it overflows to infinity. */
    private static final FloatVector V_EXP_LO = FloatVector.broadcast(S, -104f);
    private static final FloatVector V_EXP_HI = FloatVector.broadcast(S, 89f);
    private static final FloatVector V_LOG2E = FloatVector.broadcast(S, 1.44269504088896341f);
    /** -ln 2 in two parts (Cephes): the first has few bits, so n·LN2_HI is exact for |n| < 2^9. */
    private static final FloatVector V_NLN2_HI = FloatVector.broadcast(S, -0.693359375f);
    private static final FloatVector V_NLN2_LO = FloatVector.broadcast(S, 2.12194440e-4f);
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final FloatVector V_ROUND = FloatVector.broadcast(S, 12582912f);
    private static final FloatVector V_ROUND127 = FloatVector.broadcast(S, 12582912f + 127);
    private static final FloatVector V_HALF = FloatVector.broadcast(S, 0.5f);
    private static final IntVector V_2P23 = IntVector.broadcast(I, 1 << 23);
    /** Polynomial coefficients, Cephes expf and tanhf. */
    private static final FloatVector E0 = FloatVector.broadcast(S, 1.9875691500E-4f);
    private static final FloatVector E1 = FloatVector.broadcast(S, 1.3981999507E-3f);
    private static final FloatVector E2 = FloatVector.broadcast(S, 8.3334519073E-3f);
    private static final FloatVector E3 = FloatVector.broadcast(S, 4.1665795894E-2f);
    private static final FloatVector E4 = FloatVector.broadcast(S, 1.6666665459E-1f);
    private static final FloatVector E5 = FloatVector.broadcast(S, 5.0000001201E-1f);
    private static final FloatVector T0 = FloatVector.broadcast(S, -5.70498872745E-3f);
    private static final FloatVector T1 = FloatVector.broadcast(S, 2.06390887954E-2f);
    private static final FloatVector T2 = FloatVector.broadcast(S, -5.37397155531E-2f);
    private static final FloatVector T3 = FloatVector.broadcast(S, 1.33314422036E-1f);
    private static final FloatVector T4 = FloatVector.broadcast(S, -3.33332819422E-1f);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final FloatVector V_TANH_SMALL = FloatVector.broadcast(S, 0.625f);
    private static final IntVector V_SIGN = IntVector.broadcast(I, 0x80000000);

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
    public static float sum(FloatVector v) {
        v = v.add(v.rearrange(X1));
        v = v.add(v.rearrange(X2));
        v = L < 8 ? v : v.add(v.rearrange(X4));
        v = L < 16 ? v : v.add(v.rearrange(X8));
        return v.lane(0);
    }

    /**
     * e^x in place on the L lanes of {@code a} from {@code i}, within 2 ulp of the correctly rounded value over
     * the float range (subnormal results included); 0 below -104, +Inf above 88.73, NaN for NaN. Cephes expf:
     * x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-6 polynomial, times 2^n built in the exponent bits in two
     * halves so that subnormal and near-overflow results are reached with one rounding.
     */
    public static void expAt(float[] a, int i) {
        FloatVector x = FloatVector.fromArray(S, a, i).max(V_EXP_LO).min(V_EXP_HI);
        FloatVector n = x.fma(V_LOG2E, V_ROUND).sub(V_ROUND);
        FloatVector r = n.fma(V_NLN2_HI, x);
        r = n.fma(V_NLN2_LO, r);
        FloatVector p = r.fma(E0, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5);
        p = p.fma(r.mul(r), r).add(ONE);
        // n = n1 + n2 with n1 = rint(n/2), each in [-75, 64]; ROUND + 127 leaves n_k + 127 in the low bits,
        // and times 2^23 moves it into the exponent field
        FloatVector t1 = n.fma(V_HALF, V_ROUND127);
        FloatVector t2 = n.sub(t1.sub(V_ROUND127)).add(V_ROUND127);
        FloatVector s1 = t1.reinterpretAsInts().mul(V_2P23).reinterpretAsFloats();
        FloatVector s2 = t2.reinterpretAsInts().mul(V_2P23).reinterpretAsFloats();
        p.mul(s1).mul(s2).intoArray(a, i);
    }

    /**
     * tanh in place on the L lanes of {@code a} from {@code i}, within 2 ulp of the correctly rounded value:
     * an odd polynomial (Cephes tanhf) for |x| < 0.625, where 1 − 2/(e^{2|x|} + 1) would lose relative
     * accuracy, and that formula with the sign of x elsewhere.
     */
    public static void tanhAt(float[] a, int i) {
        FloatVector x = FloatVector.fromArray(S, a, i);
        FloatVector z = x.mul(x);
        FloatVector small = z.fma(T0, T1).fma(z, T2).fma(z, T3).fma(z, T4).mul(z).fma(x, x);
        FloatVector abs = x.abs();
        abs.add(abs).intoArray(a, i);
        expAt(a, i);
        FloatVector big = ONE.sub(TWO.div(FloatVector.fromArray(S, a, i).add(ONE)));
        IntVector sign = x.reinterpretAsInts().and(V_SIGN);
        big = big.reinterpretAsInts().or(sign).reinterpretAsFloats();
        big.blend(small, abs.lt(V_TANH_SMALL)).intoArray(a, i);
    }
}
