#!/usr/bin/env bash
# Regenerates the PTX that the CUDA backend loads, from src/main/cuda. Needs nvcc; the build
# itself does not (the PTX is committed, so a machine without the CUDA toolkit builds too).
# compute_75 PTX is JIT-compiled by the driver for whatever GPU it finds (Turing and newer).
set -euo pipefail
cd "$(dirname "$0")"
out=src/main/resources/dev/vesper/cuda/internal
for cu in src/main/cuda/*.cu; do
    nvcc -ptx -arch=compute_75 -O3 -o "$out/$(basename "${cu%.cu}").ptx" "$cu"
done
ls -l "$out"
