#!/usr/bin/env bash
# The GPU checks, run on a machine with an NVIDIA GPU from the repository root, over the files
# that prepare-device-check.sh put in .devcarry/ (a JRE, the jars, the distribution). Results go
# to $OUT (or ./device-out). It needs no Maven and no network there.
#   1. CudaBackendTest and GemmPlanTest, with -Dvesper.requireCuda=true (no passing by skipping);
#   2. the training step (tiny, V 4096, 16 x 128) on the CPU backend, then on the CUDA one;
#   3. the distribution as a user runs it: vesper:info, then the main job, `vesper train`.
set -uo pipefail
out="${OUT:-$PWD/device-out}"
mkdir -p "$out"
carry="$PWD/.devcarry"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
# the driver's library, where the image keeps it off the loader's path
if ! ldconfig -p | grep -q 'libcuda.so.1'; then
    for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu; do
        [ -e "$d/libcuda.so.1" ] && export LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"
    done
fi
echo "libcuda: $(ldconfig -p | grep -m1 'libcuda.so.1' || echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}")"
tar xzf "$carry/jre17.tgz" -C /tmp && export JAVA_HOME=/tmp/jre17 PATH=/tmp/jre17/bin:$PATH
java -version 2>&1 | head -1
vec=--add-modules=jdk.incubator.vector
status=0

echo "== 1. kernel tests on the GPU"
java $vec -Dvesper.requireCuda=true -jar "$carry/junit.jar" execute --disable-banner --details=summary \
    -cp "$carry/cuda.jar:$carry/api.jar:$carry/cpu.jar:$carry/lane.jar:$carry/tests.jar" \
    --select-class dev.vesper.cuda.CudaBackendTest --select-class dev.vesper.cuda.internal.GemmPlanTest \
    2>&1 | tee "$out/kernel-tests.txt" | grep -v "^\s*$" | tail -25 || status=1

echo "== 2. training step, CPU then CUDA"
for backend in cpu cuda; do
    java -XX:+UseSerialGC -Xmx768m -Xmn64m $vec -Dvesper.bench.backend=$backend \
        -cp "$carry/benchmarks.jar" dev.vesper.bench.train.TrainingStepBench silu adamw 20 0 1 2>&1 \
        | grep -v WARNING | tee -a "$out/training-step.txt" || status=1
done

echo "== 3. the distribution: vesper:info and the main job"
tar xzf "$carry/vesper-dist.tar.gz" -C /tmp
dist=/tmp/vesper
"$dist/bin/vesper" vesper:info 2>&1 | grep -v "^  [A-Z][a-zA-Z]*  " | tee "$out/info.txt"
timeout 300 "$dist/bin/vesper" train 2>&1 | tee "$out/train.txt" | tail -30 || status=1
grep -i "cuda" "$dist/log/vesper.log" | head -5
exit $status
