package dev.vesper.tensor.cpu.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Single-precision GEMM in the Goto/BLIS style: {@code C = op(A)·op(B) + beta·C} on flat row-major
 * arrays. B is packed per KC-deep block into panels of the micro-kernel's width; A is read in place,
 * transposed or not, and only a last panel shorter than the micro-kernel's height is packed; the
 * micro-kernel keeps a whole tile in registers. Each element of C sums its K products in the same
 * order whatever the thread count, so results are deterministic.
 */
public final class Gemm {
    /** Depth of a block: B is packed and each tile summed 512 depth steps at a time. */
    static final int KC = 512;
    /** Rows of A per block (a multiple of every micro-kernel height used). */
    static final int MC = 96;
    /** Packed B blocks larger than this many floats (1 MiB, one core's L2) are swept A panel first. */
    private static final long WIDE_B = 256 * 1024;
    /** Below this many multiply-adds a call runs on the calling thread. */
    private static final long SERIAL_FLOPS = 1L << 17;

    private final Simd simd;
    private final Parallel parallel;
    private final int mr;
    private final int nr;
    private final int mc;
    private final ThreadLocal<float[][]> packA = ThreadLocal.withInitial(() -> new float[1][0]);
    private final ThreadLocal<float[][]> packB = ThreadLocal.withInitial(() -> new float[1][0]);
    private final ThreadLocal<float[][]> packShared = ThreadLocal.withInitial(() -> new float[1][0]);
    private final ThreadLocal<float[][]> tile = ThreadLocal.withInitial(() -> new float[1][0]);

    /** Whether a call of this size would fork onto the pool. */
    public boolean wouldFork(int m, int n, int k) {
        return parallel.threads() > 1 && (long) m * n * k >= SERIAL_FLOPS;
    }

    public Gemm(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
        this.mr = simd.tileRows();
        this.nr = simd.tileCols();
        this.mc = (MC / mr) * mr;
    }

    /**
     * {@code C[M×N] = op(A)[M×K]·op(B)[K×N] + beta·C}. {@code lda}, {@code ldb}, {@code ldc} are the row
     * strides of the arrays as stored (A is stored K×M when transposed).
     */
    public void gemm(float[] a, int ao, int lda, boolean ta, float[] b, int bo, int ldb, boolean tb,
                     float[] c, int co, int ldc, int m, int n, int k, float beta) {
        gemm(a, ao, lda, ta, b, bo, ldb, tb, c, co, ldc, m, n, k, beta, true);
    }

    /** As above; {@code mayFork == false} keeps the call on the calling thread (batched callers fork themselves). */
    public void gemm(float[] a, int ao, int lda, boolean ta, float[] b, int bo, int ldb, boolean tb,
                     float[] c, int co, int ldc, int m, int n, int k, float beta, boolean mayFork) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || (m <= 2 && !ta && tb)) {
            scaleC(c, co, ldc, m, n, beta);
        }
        if (k == 0) {
            return;
        }
        if (m <= 2 && !ta && tb) {
            rowsTimesRows(a, ao, lda, b, bo, ldb, c, co, ldc, m, n, k, mayFork);
            return;
        }
        int threads = !mayFork || (long) m * n * k < SERIAL_FLOPS ? 1 : parallel.threads();
        Call call = new Call(a, ao, lda, ta, b, bo, ldb, tb, c, co, ldc, m, n, k, blockRows(m, threads), beta == 0f);
        if (!call.clearFirst) {
            scaleC(c, co, ldc, m, n, beta);
        }
        if (threads == 1) {
            call.part(0, call.mBlocks, 0, call.nPanels);
        } else if (call.mBlocks >= threads) {
            // Split M. The threads pack B together, panel by panel, into one buffer they all read, then
            // claim M blocks (one depth block) or shares of them (several).
            call.sharedB = buffer(packShared, call.nPanels * nr * k);
            int items = k <= KC ? call.mBlocks : threads;
            parallel.forClaims(items, threads, claims -> call.shared(claims, items));
        } else {
            // Split N (M is a block or two): every thread packs all of A, for its own share of the B panels.
            parallel.forClaims(threads, threads, claims -> {
                for (int g; (g = claims.next()) >= 0; ) {
                    call.part(0, call.mBlocks, call.nPanels * g / threads, call.nPanels * (g + 1) / threads);
                }
            });
        }
    }

    /**
     * One call's operands and blocking. Each element of C sums its depth blocks in order, whichever
     * thread computes it, so the split changes no result.
     */
    private final class Call {
        final float[] a, b, c;
        final int ao, lda, bo, ldb, co, ldc, m, n, k, mcb, mBlocks, nPanels;
        final boolean ta, tb;
        /**
         * beta 0: each M block's rows of C are cleared just before its first depth block adds into them,
         * by the thread that computes them. Storing tiles straight into C measured 3-13 % slower on the
         * training step, whose outputs are rarely in cache: a tile writes a few rows 256 bytes at a time,
         * and each line it misses stalls the stores, where a row-by-row clear streams.
         */
        final boolean clearFirst;

        Call(float[] a, int ao, int lda, boolean ta, float[] b, int bo, int ldb, boolean tb, float[] c, int co, int ldc,
             int m, int n, int k, int mcb, boolean clearFirst) {
            this.a = a;
            this.ao = ao;
            this.lda = lda;
            this.ta = ta;
            this.b = b;
            this.bo = bo;
            this.ldb = ldb;
            this.tb = tb;
            this.c = c;
            this.co = co;
            this.ldc = ldc;
            this.m = m;
            this.n = n;
            this.k = k;
            this.mcb = mcb;
            this.mBlocks = (m + mcb - 1) / mcb;
            this.nPanels = (n + nr - 1) / nr;
            this.clearFirst = clearFirst;
        }

        /** All of op(B), packed by the threads together: depth block after depth block, panels in order. */
        float[] sharedB;
        private final AtomicInteger nextPanel = new AtomicInteger();
        private final AtomicInteger panelsPacked = new AtomicInteger();

        /**
         * One thread's part of a split-M call: packs B panels until none is left, waits until all are
         * packed, then computes the claimed M blocks ({@code items == mBlocks}, one depth block) or
         * shares of M blocks depth block by depth block (so each B depth block is reused from cache by
         * every block of the share).
         */
        void shared(Parallel.Claims claims, int items) {
            int panels = (k + KC - 1) / KC * nPanels;
            for (int it; (it = nextPanel.getAndIncrement()) < panels; ) {
                int pc = it / nPanels * KC, jp = it % nPanels, kc = Math.min(KC, k - pc);
                packB(b, bo, ldb, tb, sharedB, pc * nPanels * nr + jp * kc * nr, pc, kc, n, jp, jp + 1);
                panelsPacked.incrementAndGet();
            }
            for (int spins = 0; panelsPacked.get() < panels; spins++) {
                if (spins < 1 << 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            float[] pa = buffer(packA, mr * Math.min(k, KC));
            for (int item; (item = claims.next()) >= 0; ) {
                int b0 = items == mBlocks ? item : mBlocks * item / items;
                int b1 = items == mBlocks ? item + 1 : mBlocks * (item + 1) / items;
                for (int pc = 0; pc < k; pc += KC) {
                    for (int blk = b0; blk < b1; blk++) {
                        block(pa, blk, sharedB, pc * nPanels * nr, pc, Math.min(KC, k - pc), 0, nPanels);
                    }
                }
            }
        }

        /** M blocks {@code [b0, b1)} against B panels {@code [j0, j1)}, depth block by depth block. */
        void part(int b0, int b1, int j0, int j1) {
            float[] pb = buffer(packB, (j1 - j0) * nr * Math.min(k, KC));
            float[] pa = buffer(packA, mr * Math.min(k, KC));
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bo, ldb, tb, pb, 0, pc, kc, n, j0, j1);
                for (int blk = b0; blk < b1; blk++) {
                    block(pa, blk, pb, 0, pc, kc, j0, j1);
                }
            }
        }

        private void block(float[] pa, int blk, float[] pb, int pbo, int pc, int kc, int j0, int j1) {
            int ic = blk * mcb;
            int mcur = Math.min(mcb, m - ic);
            // The kernel reads whole MR-row panels of A in place, with strides instead of a packed panel's
            // layout, and only a last partial panel is packed. Stored K×M (transposed), A already has each
            // depth step's rows side by side; stored M×K, a panel is MR sequential read streams. Packing
            // cost more than the strided reads: 1-2 % of a training step for the transposed A of the
            // weight gradients, 2-3 % for the row-major A of the other products.
            int direct = mcur / mr * mr;
            packA(a, ao, lda, ta, pa, ic + direct, mcur - direct, pc, kc);
            if (clearFirst && pc == 0) {
                int from = j0 * nr, to = Math.min(n, j1 * nr);
                for (int i = 0; i < mcur; i++) {
                    int r = co + (ic + i) * ldc;
                    Arrays.fill(c, r + from, r + to, 0f);
                }
            }
            macro(pa, direct, ta ? ao + pc * lda + ic : ao + ic * lda + pc, mcur, pb, pbo, kc, j0, j1, co + ic * ldc);
        }

        /**
         * The tiles of one A block (its first {@code direct} rows read in place at {@code directAt}, the
         * rest packed) against packed B panels {@code [j0, j1)}. A B block that fits in L2
         * is swept panel by panel, each B panel against every A panel; a wider one (over {@link #WIDE_B}
         * floats) is swept A panel by A panel, so that the A panel stays in L1, B streams in order and C is
         * written row after row (measured 5-7 % faster at 1024³ and 4096×256×4096 on one thread, 2-3 % slower
         * at 512³). The order changes no sum.
         */
        private void macro(float[] pa, int direct, int directAt, int mcur, float[] pb, int pbo, int kc, int j0, int j1,
                           int cAt) {
            if ((long) (j1 - j0) * nr * kc > WIDE_B) {
                for (int ir = 0; ir < mcur; ir += mr) {
                    for (int jp = j0; jp < j1; jp++) {
                        tile(pa, direct, directAt, ir, mcur, pb, pbo, kc, jp, j0, cAt);
                    }
                }
            } else {
                for (int jp = j0; jp < j1; jp++) {
                    for (int ir = 0; ir < mcur; ir += mr) {
                        tile(pa, direct, directAt, ir, mcur, pb, pbo, kc, jp, j0, cAt);
                    }
                }
            }
        }

        /** Adds one tile of products into C. */
        private void tile(float[] pa, int direct, int directAt, int ir, int mcur, float[] pb, int pbo, int kc, int jp, int j0,
                          int cAt) {
            int col = jp * nr;
            int ncur = Math.min(nr, n - col);
            int bo = pbo + (jp - j0) * kc * nr;
            int rows = Math.min(mr, mcur - ir);
            int at = cAt + ir * ldc + col;
            // where row r's value at depth step p is: ap[at0 + r·rs + p·as]
            float[] ap = a;
            int at0, rs, as;
            if (ir >= direct) {
                ap = pa;
                at0 = (ir - direct) * kc;
                rs = 1;
                as = mr;
            } else if (ta) {
                at0 = directAt + ir;
                rs = 1;
                as = lda;
            } else {
                at0 = directAt + ir * lda;
                rs = lda;
                as = 1;
            }
            if (rows == mr && ncur == nr) {
                simd.gemmTile(ap, at0, rs, as, pb, bo, kc, c, at, ldc, true);
            } else {
                edgeTile(ap, at0, rs, as, pb, bo, kc, at, rows, ncur);
            }
        }

        /** A tile that crosses the matrix edge: computed whole into scratch, then its inside part added to C. */
        private void edgeTile(float[] pa, int at0, int rs, int as, float[] pb, int bo, int kc, int at, int rows, int cols) {
            float[] t = buffer(tile, mr * nr);
            simd.gemmTile(pa, at0, rs, as, pb, bo, kc, t, 0, nr, false);
            for (int i = 0; i < rows; i++) {
                int r = at + i * ldc;
                for (int j = 0; j < cols; j++) {
                    c[r + j] += t[i * nr + j];
                }
            }
        }
    }

    /**
     * Rows per M block: at most MC, and shrunk so that the blocks split evenly across the threads
     * (512 rows on 2 threads: 6 blocks of 90, not 5 of 96 and a sliver of 32).
     */
    private int blockRows(int m, int threads) {
        if (threads == 1) {
            return mc;
        }
        int perThread = (m + mc * threads - 1) / (mc * threads);
        int rows = (m + threads * perThread - 1) / (threads * perThread);
        return Math.min(mc, (rows + mr - 1) / mr * mr);
    }

    /**
     * Packs the last {@code rows} rows of an A block (fewer than MR, from row {@code ic}) at depth
     * [pc, pc+kc) into one zero-padded MR-row panel: the micro-kernel reads whole panels in place.
     */
    private void packA(float[] a, int ao, int lda, boolean ta, float[] pa, int ic, int rows, int pc, int kc) {
        if (rows == 0) {
            return;
        }
        Arrays.fill(pa, 0, kc * mr, 0f);
        int step = ta ? lda : 1;
        for (int r = 0; r < rows; r++) {
            int src = ta ? ao + pc * lda + ic + r : ao + (ic + r) * lda + pc;
            for (int p = 0; p < kc; p++) {
                pa[r + p * mr] = a[src + p * step];
            }
        }
    }

    /** Packs column panels [from, to) of op(B) at depth [pc, pc+kc) into NR-wide panels from index 0, zero-padded. */
    private void packB(float[] b, int bo, int ldb, boolean tb, float[] pb, int pbo, int pc, int kc, int n, int from, int to) {
        for (int jp = from; jp < to; jp++) {
            int col = jp * nr;
            int cols = Math.min(nr, n - col);
            int base = pbo + (jp - from) * kc * nr;
            if (!tb) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * nr;
                    System.arraycopy(b, bo + (pc + p) * ldb + col, pb, dst, cols);
                    if (cols < nr) {
                        Arrays.fill(pb, dst + cols, dst + nr, 0f);
                    }
                }
            } else {
                // op(B) = Bᵀ: gather 16 columns (one cache line of the panel) per depth step
                if (cols < nr) {
                    Arrays.fill(pb, base, base + kc * nr, 0f);
                }
                for (int j0 = 0; j0 < cols; j0 += 16) {
                    int jn = Math.min(16, cols - j0);
                    int src = bo + (col + j0) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * nr + j0;
                        for (int jj = 0; jj < jn; jj++) {
                            pb[d + jj] = b[src + jj * ldb + p];
                        }
                    }
                }
            }
        }
    }

    /** One or two rows against rows of B (x·Wᵀ at generation time): dot products, no packing. */
    private void rowsTimesRows(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                               int m, int n, int k, boolean mayFork) {
        Parallel.Range body = (from, to) -> {
            for (int i = 0; i < m; i++) {
                for (int j = from; j < to; j++) {
                    c[co + i * ldc + j] += simd.dot(a, ao + i * lda, b, bo + j * ldb, k);
                }
            }
        };
        if (!mayFork || (long) m * n * k < SERIAL_FLOPS) {
            body.run(0, n);
        } else {
            parallel.forRange(n, 16, body);
        }
    }

    private static void scaleC(float[] c, int co, int ldc, int m, int n, float beta) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int r = co + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, r, r + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[r + j] *= beta;
                }
            }
        }
    }

    private static float[] buffer(ThreadLocal<float[][]> holder, int size) {
        float[][] h = holder.get();
        if (h[0].length < size) {
            h[0] = new float[size];
        }
        return h[0];
    }
}
