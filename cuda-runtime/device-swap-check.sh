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
# felix:stop with no id would stop nothing, and the check would read as if the job had not noticed
[ -n "$cuda" ] || { echo "no cuda-runtime bundle in lb: is it in the distribution?"; exit 1; }
# a second sitting on a warm machine would find the first one's run folders, which --out refuses
runs=$(mktemp -d /tmp/vesper-swap-XXXXXX)
(sleep 8; echo 'vesper:cuda'
 echo "train --background --model small --steps 400 --eval-every 0 --checkpoint-every 50 --out $runs/r1"; sleep 40
 echo 'status'; echo "felix:stop $cuda"; sleep 10
 echo 'status'; echo 'vesper:info'; sleep 2
 echo "felix:start $cuda"; sleep 8; echo 'vesper:cuda'; sleep 1
 echo "train --background --resume $(ls -d $runs/r1/checkpoints/step-* 2>/dev/null | tail -1) --out $runs/r2"; sleep 30
 echo 'status'; echo 'jobs'; sleep 1; echo 'stop'; sleep 8; echo exit; sleep 5) | timeout 200 bin/vesper 2>&1 | grep -v '^\s*$' | tee "$out/swap.txt"
echo "== log"; grep -i -E "cuda|WARN|ERROR" log/vesper.log | tail -20
