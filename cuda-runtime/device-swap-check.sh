#!/usr/bin/env bash
# On a GPU machine, from the repository root, with what prepare-device-check.sh put in .devcarry/: stops
# and starts the CUDA bundle around a running job in the shell, as a user would, then resumes the job on
# the GPU. Output also goes to $OUT/swap.txt (or ./device-out).
set -u
out="${OUT:-$PWD/device-out}"
mkdir -p "$out"
tar xzf .devcarry/jre17.tgz -C /tmp && export PATH=/tmp/jre17/bin:$PATH LD_LIBRARY_PATH=/usr/local/nvidia/lib64
tar xzf .devcarry/vesper-dist.tar.gz -C /tmp && cd /tmp/vesper
cuda=$(bin/vesper lb -s dev.vesper.vesper-cuda-runtime 2>/dev/null | awk -F'|' '/cuda-runtime/ {gsub(/ /,"",$1); print $1}')
echo "cuda bundle id: $cuda"
(sleep 8; echo 'vesper:cuda'
 echo 'train --background --model small --steps 400 --eval-every 0 --checkpoint-every 50 --out /tmp/r1'; sleep 40
 echo 'status'; echo "felix:stop $cuda"; sleep 10
 echo 'status'; echo 'vesper:info'; sleep 2
 echo "felix:start $cuda"; sleep 8; echo 'vesper:cuda'; sleep 1
 echo "train --background --resume $(ls -d /tmp/r1/checkpoints/step-* 2>/dev/null | tail -1) --out /tmp/r2"; sleep 30
 echo 'status'; echo 'jobs'; sleep 1; echo 'stop'; sleep 8; echo exit; sleep 5) | timeout 200 bin/vesper 2>&1 | grep -v '^\s*$' | tee "$out/swap.txt"
echo "== log"; grep -i -E "cuda|WARN|ERROR" log/vesper.log | tail -20
