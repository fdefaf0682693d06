#!/usr/bin/env bash
# The project's sgemm and OpenBLAS (numpy) back to back, so the ratio comes from one sitting.
#   bench/sgemm-vs-openblas.sh [threads...]        default: 1 2
# Needs Debian's numpy and OpenBLAS: apt-get install -y python3-numpy libopenblas0-pthread
# (run with /usr/bin/python3; another python3 on PATH may lack them). OPENBLAS_CORETYPE, if set,
# is passed through and printed by numpy_sgemm.py. Shapes: VESPER_SGEMM_SHAPES (MxKxN, comma-separated).
# VESPER_SGEMM_CLOCK=cpu compares one thread by GFLOP per second of CPU time instead (ours: SgemmCpuTime,
# OpenBLAS: numpy timed with time.process_time), which a loaded machine disturbs far less than wall time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="${VESPER_SHARED:-$root/../shared}"
numpy_script="$shared/bench/numpy_sgemm.py"
[[ -f "$numpy_script" ]] || { echo "missing $numpy_script (set VESPER_SHARED)" >&2; exit 1; }
/usr/bin/python3 -c 'import numpy' 2>/dev/null || {
  echo "numpy is missing: apt-get install -y python3-numpy libopenblas0-pthread" >&2; exit 1; }
shapes="${VESPER_SGEMM_SHAPES:-512x512x512,1024x1024x1024,2048x256x1024,2048x1024x256,4096x256x4096}"
threads=("$@")
[[ ${#threads[@]} -gt 0 ]] || threads=(1 2)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$root" && mvn -q -o install -pl bench -am -DskipTests)
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${VESPER_SGEMM_CLOCK:-wall}" == cpu ]]; then
  printf '%16s %11s %13s %6s\n' "shape MxKxN" "vesper GF/s" "openblas GF/s" "ratio"
  for shape in ${shapes//,/ }; do
    ours=$(java --add-modules jdk.incubator.vector -cp "$here/target/benchmarks.jar" \
        dev.vesper.bench.tensor.SgemmCpuTime "$shape" 2>/dev/null | cut -d, -f6)
    theirs=$(OPENBLAS_NUM_THREADS=1 /usr/bin/python3 - "$shape" <<'PY'
import sys, time
import numpy as np
m, k, n = map(int, sys.argv[1].split("x"))
rng = np.random.default_rng(0)
a = rng.standard_normal((m, k), dtype=np.float32)
b = rng.standard_normal((k, n), dtype=np.float32)
c = np.empty((m, n), dtype=np.float32)
res = []
for sample in range(-3, 9):
    t0 = time.process_time(); reps = 0
    while True:
        np.matmul(a, b, out=c); reps += 1
        t = time.process_time() - t0
        if t >= 0.3:
            break
    if sample >= 0:
        res.append(2.0 * m * k * n * reps / t / 1e9)
res.sort()
print(f"{res[len(res) // 2]:.1f}")
PY
)
    printf '%16s %11s %13s %6.2f\n' "$shape" "$ours" "$theirs" "$(/usr/bin/python3 -c "print($ours / $theirs)")"
  done
  echo "# GFLOP per CPU-second, one thread, medians of 9 samples of 0.3 s; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
# interleaved per shape (ours, then OpenBLAS), so both see the same moment of a noisy machine
for th in "${threads[@]}"; do
  for shape in ${shapes//,/ }; do
    VESPER_BENCH_NO_BUILD=1 "$here/run.sh" SgemmBench -p threads="$th" -p shape="$shape" \
        -wi 3 -w 1 -i 5 -r 1 -f 1 -rf json -rff "$out/vesper-$th-$shape.json" > "$out/vesper.log" 2>&1 \
        || { cat "$out/vesper.log" >&2; exit 1; }
    OPENBLAS_NUM_THREADS="$th" /usr/bin/python3 "$numpy_script" "$shape" >> "$out/numpy-$th.csv"
  done
done
grep -m1 '^#' "$out/numpy-${threads[0]}.csv" || true
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$out" "$shapes" "${threads[@]}" <<'PY'
import json, sys, statistics
out, shapes, threads = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
print("# GFLOP/s = 2MKN/time; ours: median of 5 JMH iterations of 1 s; OpenBLAS: median of numpy_sgemm.py's 7 samples")
print(f"{'shape MxKxN':>16} {'thr':>3} {'vesper GF/s':>11} {'openblas GF/s':>13} {'ratio':>6}")
for th in threads:
    blas = {}
    for line in open(f"{out}/numpy-{th}.csv"):
        if line.startswith("openblas"):
            _, _, m, k, n, med, lo, hi = line.strip().split(",")
            blas[f"{m}x{k}x{n}"] = float(med)
    for shape in shapes:
        r = json.load(open(f"{out}/vesper-{th}-{shape}.json"))[0]
        m, k, n = map(int, shape.split("x"))
        ms = statistics.median([x for it in r["primaryMetric"]["rawData"] for x in it])
        gf = 2.0 * m * k * n / (ms / 1e3) / 1e9
        b = blas.get(shape)
        print(f"{shape:>16} {th:>3} {gf:11.1f} {b if b else float('nan'):13.1f} {gf / b if b else float('nan'):6.2f}")
PY
