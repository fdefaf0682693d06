package dev.vesper.optim.support;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API form of {@link AdamKernel#updateScalar}: the same FP32 operations in the same order
 * (no FMA), so the bits agree. Only loaded when the module is present.
 */
final class AdamVectorKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private AdamVectorKernel() {
    }

    static int lanes() {
        return SPECIES.length();
    }

    static int update(AdamCoefficients c, float decay, float[] p, int pOffset, float[] g, float[] m, float[] v,
                      int from, int to) {
        int end = from + SPECIES.loopBound(to - from);
        int skipped = c.sparse ? sparse(c, decay, p, pOffset, g, m, v, from, end) : dense(c, decay, p, pOffset, g, m, v, from, end);
        return skipped + AdamKernel.updateScalar(c, decay, p, pOffset, g, m, v, end, to);
    }

    private static int dense(AdamCoefficients c, float decay, float[] p, int pOffset, float[] g, float[] m,
                             float[] v, int from, int end) {
        final float b1 = c.beta1;
        final float omb1 = c.oneMinusBeta1;
        final float b2 = c.beta2;
        final float omb2 = c.oneMinusBeta2;
        final float bc1 = c.biasCorrection1;
        final float bc2 = c.biasCorrection2;
        final float lr = c.lr;
        final float eps = c.eps;
        final int step = SPECIES.length();
        for (int i = from; i < end; i += step) {
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
            FloatVector pv = FloatVector.fromArray(SPECIES, p, pOffset + i).mul(decay);
            FloatVector mv = FloatVector.fromArray(SPECIES, m, i).mul(b1).add(gv.mul(omb1));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(b2).add(gv.mul(omb2).mul(gv));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.div(bc2).lanewise(VectorOperators.SQRT).add(eps);
            pv.sub(mv.div(bc1).mul(lr).div(denom)).intoArray(p, pOffset + i);
        }
        return 0;
    }

    private static int sparse(AdamCoefficients c, float decay, float[] p, int pOffset, float[] g, float[] m,
                              float[] v, int from, int end) {
        final float b1 = c.beta1;
        final float omb1 = c.oneMinusBeta1;
        final float b2 = c.beta2;
        final float omb2 = c.oneMinusBeta2;
        final float bc1 = c.biasCorrection1;
        final float bc2 = c.biasCorrection2;
        final float lr = c.lr;
        final float eps = c.eps;
        final float tau = c.tau;
        final int step = SPECIES.length();
        int kept = 0;
        for (int i = from; i < end; i += step) {
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
            // skip |g| <= tau; a NaN gradient is not skipped, exactly as in the scalar loop
            VectorMask<Float> keep = gv.abs().compare(VectorOperators.LE, tau).not();
            FloatVector p0 = FloatVector.fromArray(SPECIES, p, pOffset + i);
            FloatVector m0 = FloatVector.fromArray(SPECIES, m, i);
            FloatVector v0 = FloatVector.fromArray(SPECIES, v, i);
            FloatVector mv = m0.mul(b1).add(gv.mul(omb1));
            FloatVector vv = v0.mul(b2).add(gv.mul(omb2).mul(gv));
            FloatVector denom = vv.div(bc2).lanewise(VectorOperators.SQRT).add(eps);
            FloatVector pv = p0.mul(decay).sub(mv.div(bc1).mul(lr).div(denom));
            m0.blend(mv, keep).intoArray(m, i);
            v0.blend(vv, keep).intoArray(v, i);
            p0.blend(pv, keep).intoArray(p, pOffset + i);
            kept += keep.trueCount();
        }
        return (end - from) - kept;
    }
}
