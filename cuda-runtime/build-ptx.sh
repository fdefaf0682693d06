#!/usr/bin/env bash
# Regenerates the PTX that the CUDA backend loads, from src/main/cuda. Needs nvcc; the build
# itself does not (the PTX is committed, so a machine without the CUDA toolkit builds too).
# compute_75 PTX is JIT-compiled by the driver for whatever GPU it finds (Turing and newer).
# nvcc 13 stamps its PTX as ISA 9.0, which only R580 and newer drivers accept. The kernels use only
# instructions of ISA 7.0 and earlier (loads, stores, fma, bar.sync), so the stamp is set back to 7.0,
# which drivers from R450 (CUDA 11.0) on accept. A driver that refused it would leave the CPU backend.
set -euo pipefail
cd "$(dirname "$0")"
out=src/main/resources/dev/vesper/cuda/internal
for cu in src/main/cuda/*.cu; do
    ptx="$out/$(basename "${cu%.cu}").ptx"
    nvcc -ptx -arch=compute_75 -O3 -o "$ptx" "$cu"
    sed -i 's/^\.version [0-9.]*$/.version 7.0/' "$ptx"
done
ls -l "$out"
