#!/usr/bin/env bash
# Runs benchmarks of the JMH module. Any JMH argument works, for example:
#   bench/run.sh SgemmBench -p threads=1 -p shape=512x512x512
#   bench/run.sh KernelBench.attention
#   bench/run.sh TrainStepBench -prof gc
#   bench/run.sh -l                      (list the benchmarks)
# The module is rebuilt first (offline, without tests) unless VESPER_BENCH_NO_BUILD=1.
# The machine is shared and noisy: compare figures only within one sitting.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
if [[ "${VESPER_BENCH_NO_BUILD:-0}" != 1 || ! -f "$jar" ]]; then
  # Debian's Maven prints colour resets even when quiet; they would land in front of JMH's output
  (cd "$root" && mvn -q -o -B -Dstyle.color=never install -pl bench -am -DskipTests) 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
fi
# JMH allows one run per machine (/tmp/jmh.lock): wait while another contributor's run goes on,
# and retry when JMH still finds the lock taken (a run may start between the check and ours)
limit=${VESPER_BENCH_WAIT:-900}
waited=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
while true; do
  while pgrep -f 'org.openjdk.jmh.runner.ForkedMain|benchmarks.jar' > /dev/null; do
    (( waited == 0 )) && echo "# waiting for another JMH run to finish..." >&2
    (( waited >= limit )) && { echo "another JMH run is still going after ${waited}s; giving up" >&2; exit 1; }
    sleep 5
    waited=$((waited + 5))
  done
  set +e
  java --add-modules jdk.incubator.vector -jar "$jar" -jvmArgsAppend "--add-modules=jdk.incubator.vector" "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  if (( rc != 0 )) && grep -q "Unable to acquire the JMH lock" "$log" && (( waited < limit )); then
    echo "# JMH lock taken; retrying" >&2
    sleep 10
    waited=$((waited + 10))
    continue
  fi
  exit "$rc"
done
