// Strided, batched FP32 GEMM for the CUDA backend: c = a·b + beta·c per batch entry z.
//
// Operands are addressed through strides, so one kernel serves every transpose:
//   A(i, p) = a[z·aBatch + i·aRow + p·aCol],  B(p, j) = b[z·bBatch + p·bRow + j·bCol],
//   C(i, j) = c[z·cBatch + i·ldc + j].
// beta == 0 overwrites C whatever it held (NaN included), as ComputeBackend.matmul requires.
//
// Each 256-thread block computes a 64×64 tile of C, 4×4 values per thread, staging 16-deep
// slices of A and B in shared memory. Tiles are loaded along whichever axis is contiguous in
// memory, so that a warp's reads coalesce for transposed and plain operands alike.
//
// Regenerate the PTX beside the Java sources with cuda-runtime/build-ptx.sh.

#define BM 64
#define BN 64
#define BK 16
#define THREADS 256

extern "C" __global__ void __launch_bounds__(THREADS) sgemm_strided(
        int m, int n, int k,
        const float* __restrict__ a, long long aBatch, int aRow, int aCol,
        const float* __restrict__ b, long long bBatch, int bRow, int bCol,
        float* __restrict__ c, long long cBatch, int ldc, float beta) {
    // +1 column: the loads below store along p, which would otherwise hit one bank
    __shared__ float as[BK][BM + 1];
    __shared__ float bs[BK][BN + 1];

    const long long z = blockIdx.z;
    a += z * aBatch;
    b += z * bBatch;
    c += z * cBatch;
    const int row0 = blockIdx.x * BM;
    const int col0 = blockIdx.y * BN;
    const int tid = threadIdx.x;
    const int tr = tid / 16;
    const int tc = tid % 16;

    float acc[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            acc[i][j] = 0.f;

    for (int p0 = 0; p0 < k; p0 += BK) {
        for (int q = 0; q < (BM * BK) / THREADS; q++) {
            int e = tid + q * THREADS;
            int i, p;
            if (aCol == 1) { i = e / BK; p = e % BK; } else { p = e / BM; i = e % BM; }
            int gi = row0 + i, gp = p0 + p;
            as[p][i] = (gi < m && gp < k) ? a[(long long) gi * aRow + (long long) gp * aCol] : 0.f;
        }
        for (int q = 0; q < (BN * BK) / THREADS; q++) {
            int e = tid + q * THREADS;
            int j, p;
            if (bCol == 1) { p = e / BN; j = e % BN; } else { j = e / BK; p = e % BK; }
            int gj = col0 + j, gp = p0 + p;
            bs[p][j] = (gj < n && gp < k) ? b[(long long) gp * bRow + (long long) gj * bCol] : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int p = 0; p < BK; p++) {
            float av[4], bv[4];
#pragma unroll
            for (int i = 0; i < 4; i++) av[i] = as[p][tr + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) bv[j] = bs[p][tc + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++)
                    acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
        }
        __syncthreads();
    }

    for (int i = 0; i < 4; i++) {
        int gi = row0 + tr + 16 * i;
        if (gi >= m) continue;
        for (int j = 0; j < 4; j++) {
            int gj = col0 + tc + 16 * j;
            if (gj >= n) continue;
            float* dst = c + (long long) gi * ldc + gj;
            *dst = beta == 0.f ? acc[i][j] : acc[i][j] + beta * *dst;
        }
    }
}
