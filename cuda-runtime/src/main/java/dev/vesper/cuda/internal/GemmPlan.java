package dev.vesper.cuda.internal;

import dev.vesper.api.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one {@code ComputeBackend.matmul} call maps onto strided, batched GEMM launches.
 *
 * <p>Offsets are counted from each tensor's first element, so that only the tensors' own values
 * travel to the device. The cases follow {@code matmul}'s contract: a batch against one matrix, a
 * batch against a batch, and a batch whose products are summed into one 2-D output.
 */
public final class GemmPlan {

    /**
     * One launch: for {@code z < batch}, {@code C_z = A_z·B_z + beta·C_z} where
     * {@code A_z(i, p) = a[aOffset + z·aBatch + i·aRow + p·aCol]},
     * {@code B_z(p, j) = b[bOffset + z·bBatch + p·bRow + j·bCol]} and
     * {@code C_z(i, j) = c[cOffset + z·cBatch + i·ldc + j]}.
     */
    public record Launch(int batch, int m, int n, int k,
                         long aOffset, long aBatch, int aRow, int aCol,
                         long bOffset, long bBatch, int bRow, int bCol,
                         long cOffset, long cBatch, int ldc, float beta) {
    }

    private GemmPlan() {
    }

    /** The launches for {@code c = op(a)·op(b) + beta·c}, in the order they must run. */
    public static List<Launch> of(int[] as, boolean ta, int[] bs, boolean tb, int[] cs, float beta) {
        int[] expect = Shapes.matmul(as, ta, bs, tb);
        int r = expect.length;
        int m = expect[r - 2], n = expect[r - 1];
        int k = ta ? as[as.length - 2] : as[as.length - 1];
        boolean bothBatched = as.length > 2 && bs.length > 2;
        boolean sumBatch = bothBatched && cs.length == 2 && cs[0] == m && cs[1] == n;
        if (!sumBatch && !Arrays.equals(cs, expect)
                && !(Shapes.size(cs) == Shapes.size(expect) && cs[cs.length - 1] == n)) {
            throw new IllegalArgumentException("matmul: " + Shapes.format(as) + (ta ? "^T" : "") + " x "
                    + Shapes.format(bs) + (tb ? "^T" : "") + ": output " + Shapes.format(cs)
                    + " should be " + Shapes.format(expect));
        }
        int lda = as[as.length - 1], ldb = bs[bs.length - 1];
        int aRow = ta ? 1 : lda, aCol = ta ? lda : 1;
        int bRow = tb ? 1 : ldb, bCol = tb ? ldb : 1;
        long aMat = (long) as[as.length - 2] * lda, bMat = (long) bs[bs.length - 2] * ldb;
        int batchA = as.length > 2 ? leading(as) : 1, batchB = bs.length > 2 ? leading(bs) : 1;
        int batch = Math.max(batchA, batchB);
        List<Launch> plan = new ArrayList<>();
        if (batch == 1 || (as.length > 2 && bs.length == 2 && !ta)) {
            // a 2-D product, or a batch of rows against one matrix: the rows stack into one GEMM
            plan.add(new Launch(1, batch * m, n, k, 0, 0, aRow, aCol, 0, 0, bRow, bCol, 0, 0, n, beta));
        } else if (sumBatch && ta && !tb) {
            // Σ_z A_zᵀ·B_z is one GEMM with the batch folded into the inner dimension
            plan.add(new Launch(1, m, n, batch * k, 0, 0, aRow, aCol, 0, 0, bRow, bCol, 0, 0, n, beta));
        } else if (sumBatch) {
            // launches on one stream run in order, so each adds onto the one before
            for (int z = 0; z < batch; z++) {
                plan.add(new Launch(1, m, n, k, z * aMat, 0, aRow, aCol, z * bMat, 0, bRow, bCol, 0, 0, n,
                        z == 0 ? beta : 1f));
            }
        } else {
            plan.add(new Launch(batch, m, n, k, 0, batchA > 1 ? aMat : 0, aRow, aCol,
                    0, batchB > 1 ? bMat : 0, bRow, bCol, 0, (long) m * n, n, beta));
        }
        return plan;
    }

    private static int leading(int[] s) {
        int p = 1;
        for (int i = 0; i < s.length - 2; i++) {
            p *= s[i];
        }
        return p;
    }
}
