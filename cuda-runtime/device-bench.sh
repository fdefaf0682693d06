#!/usr/bin/env bash
# The training step (V 4096, 16 x 128, SiLU, AdamW) on the CPU backend and on the CUDA one, for the
# presets named (default: tiny small medium), on a GPU machine, from the repository root, with what
# prepare-device-check.sh put in .devcarry/. Results also go to $OUT/training-step-models.txt.
set -uo pipefail
out="${OUT:-$PWD/device-out}"
mkdir -p "$out"
carry="$PWD/.devcarry"
[ -x /tmp/jre17/bin/java ] || tar xzf "$carry/jre17.tgz" -C /tmp
export PATH=/tmp/jre17/bin:$PATH
if ! ldconfig -p | grep -q 'libcuda.so.1'; then
    for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
        [ -e "$d/libcuda.so.1" ] && export LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"
    done
fi
status=0
for model in ${*:-tiny small medium}; do
    case $model in tiny) steps=20 ;; small) steps=10 ;; *) steps=6 ;; esac
    for backend in cpu cuda; do
        java -XX:+UseSerialGC -Xmx16g -Xmn256m --add-modules=jdk.incubator.vector -Dvesper.bench.backend=$backend \
            -Dvesper.bench.model=$model -cp "$carry/benchmarks.jar" dev.vesper.bench.train.TrainingStepBench \
            silu adamw $steps 0 1 2>&1 | grep -v WARNING | tee -a "$out/training-step-models.txt" || status=1
    done
done
exit $status
