#!/usr/bin/env bash
# Puts what device-check.sh needs into .devcarry/ (ignored by git): a jlinked JRE, the kernel
# tests' class path, the benchmarks jar and the distribution. Run from the repository root after
# `mvn install -DskipTests`; then send .devcarry along to the GPU machine and run device-check.sh.
set -euo pipefail
grep -qx '/.devcarry/' .git/info/exclude 2>/dev/null || echo '/.devcarry/' >> .git/info/exclude
rm -rf .devcarry /tmp/devcarry-jre && mkdir .devcarry
jlink --add-modules java.base,java.logging,java.management,java.naming,java.xml,java.desktop,java.sql,jdk.incubator.vector,jdk.unsupported,jdk.zipfs,java.net.http,jdk.management,java.instrument,jdk.crypto.ec \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output /tmp/devcarry-jre/jre17 2>/dev/null
tar czf .devcarry/jre17.tgz -C /tmp/devcarry-jre jre17
junit=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' | sort | tail -1)
[ -n "$junit" ] || { echo "needs junit-platform-console-standalone in ~/.m2 (mvn dependency:get)" >&2; exit 1; }
cp "$junit" .devcarry/junit.jar
cp cuda-runtime/target/vesper-cuda-runtime-*[0-9T].jar .devcarry/cuda.jar
cp api/target/vesper-api-*[0-9T].jar .devcarry/api.jar
cp bundles/tensor-cpu/target/vesper-tensor-cpu-*[0-9T].jar .devcarry/cpu.jar
cp bundles/lane-math/target/vesper-lane-math-*[0-9T].jar .devcarry/lane.jar
(cd cuda-runtime/target/test-classes && jar cf ../../../.devcarry/tests.jar .)
cp bench/target/benchmarks.jar distribution/target/vesper-dist.tar.gz .devcarry/
du -sh .devcarry
