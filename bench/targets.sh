#!/usr/bin/env bash
# Every benchmark target of the open issues against its peer, back to back in one sitting, so that
# each ratio compares two figures taken minutes apart on this shared, noisy machine:
#   generation (issue 4): greedy batch-1 tok/s, tiny V=4096, against PyTorch --gen 200 (best threads)
#   training step (issue 7): tok/s and peak RSS, tiny V=4096, 16 x 128, against PyTorch --threads 1
#   sgemm (issue 3): bench/sgemm-vs-openblas.sh 1 2
# Each peer runs before and after ours; the ratio is quoted against both. Run it when nothing else is
# running (it takes about 15 minutes). Needs Debian's python3-torch, python3-numpy, libopenblas0-pthread.
#   bench/targets.sh [generation] [training] [sgemm]      (default: all three)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="${VESPER_SHARED:-$root/../shared}"
torch_bench="$shared/bench/torch_gpt_bench.py"
[[ -f "$torch_bench" ]] || { echo "missing $torch_bench (set VESPER_SHARED)" >&2; exit 1; }
parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(generation training sgemm)
jar="$here/target/benchmarks.jar"
(cd "$root" && mvn -q -o install -pl bench -am -DskipTests)
java_opts=(--add-modules jdk.incubator.vector)
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(git -C "$root" rev-parse --short HEAD), load: $(cut -d' ' -f1-3 /proc/loadavg)"

field() {   # field NAME LINE: the value of NAME=... in a key=value CSV line
  tr ',' '\n' <<< "$2" | sed -n "s/^$1=//p"
}

torch_gen() {
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$torch_bench" --cfg tiny --vocab 4096 --gen 200 --threads 1 2>/dev/null \
    | grep '^gen,' | cut -d, -f8
}

generation() {
  echo "## generation: greedy, batch 1, 200 new tokens, tiny V=4096 (tokens/s)"
  local before ours after
  before=$(torch_gen)
  ours=$(VESPER_BENCH_NO_BUILD=1 "$here/run.sh" GenerationBench -p activation=silu -p threads=2 -wi 3 -i 5 -f 1 \
           2>/dev/null | awk '/^GenerationBench.greedy/ {print $(NF-3)}')
  after=$(torch_gen)
  printf 'pytorch before %s, vesper (silu, 2 threads) %s, pytorch after %s: %.2fx / %.2fx (issue anchor 316: %.2fx)\n' \
    "$before" "$ours" "$after" "$(bc -l <<< "$ours / $before")" "$(bc -l <<< "$ours / $after")" "$(bc -l <<< "$ours / 316")"
}

torch_train() {
  /usr/bin/python3 "$torch_bench" --cfg tiny --vocab 4096 --batch 16 --seq 128 --threads 1 2>/dev/null | grep '^train,'
}

training() {
  echo "## training step: tiny V=4096, 16 x 128, forward+backward+clip+AdamW (tokens/s, peak RSS)"
  local before ours after b a o
  before=$(torch_train)
  # the JVM flags of bin/vesper's training runs: a 64 MiB young generation, serial GC
  ours=$(java -Xmx768m -Xmn64m -XX:+UseSerialGC "${java_opts[@]}" -cp "$jar" \
           dev.vesper.bench.train.TrainingStepBench silu adamw 20 0 1 2>/dev/null | grep '^train,')
  after=$(torch_train)
  b=$(cut -d, -f8 <<< "$before")
  a=$(cut -d, -f8 <<< "$after")
  o=$(field tok_s_median "$ours")
  echo "pytorch before: $before"
  echo "vesper:         $ours"
  echo "pytorch after:  $after"
  printf 'vesper %s tok/s: %.2fx / %.2fx pytorch (issue anchor 2,575: %.2fx); peak RSS %s MiB\n' \
    "$o" "$(bc -l <<< "$o / $b")" "$(bc -l <<< "$o / $a")" "$(bc -l <<< "$o / 2575")" "$(field peak_rss_MiB "$ours")"
}

sgemm() {
  echo "## sgemm against OpenBLAS"
  "$here/sgemm-vs-openblas.sh" 1 2
}

for part in "${parts[@]}"; do
  "$part"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
