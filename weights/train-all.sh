#!/usr/bin/env bash
# Regenerates the 15 shipped networks (8 quantized MNIST nets, 2 analog baselines, 4 Fashion-MNIST nets, 1 variation-aware net) with the exact commands used for them (sequentially; each run
# uses 2 threads; results do not depend on the thread count). About 30-40 minutes on 2 idle
# cores; the shipped files took 82 minutes in total on cores shared with other jobs.
# Usage: weights/train-all.sh [NAME...]   (default: all; NAME like mnist-3h-L5-sc)
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A CMD=(
  [mnist-1h-L5-sc]="--hidden 256 --levels 5 --sc-train --bits 32 --epochs 20 --seed 1"
  [mnist-1h-L5-nosc]="--hidden 256 --levels 5 --epochs 20 --seed 1"
  [mnist-1h-L11-sc]="--hidden 256 --levels 11 --sc-train --bits 32 --epochs 20 --seed 1"
  [mnist-1h-L11-nosc]="--hidden 256 --levels 11 --epochs 20 --seed 1"
  [mnist-3h-L5-sc]="--hidden 256,256,256 --levels 5 --sc-train --bits 32 --epochs 15 --shift 1 --seed 1"
  [mnist-3h-L5-nosc]="--hidden 256,256,256 --levels 5 --epochs 15 --shift 1 --seed 1"
  [mnist-3h-L11-sc]="--hidden 256,256,256 --levels 11 --sc-train --bits 32 --epochs 15 --shift 1 --seed 1"
  [mnist-3h-L11-nosc]="--hidden 256,256,256 --levels 11 --epochs 15 --shift 1 --seed 1"
  # the analog baseline (docs/analog.md): s-MTJ sigmoid hidden outputs, 127-level dyadic weight grid
  [mnist-1h-analog]="--hidden 256 --levels 127 --activation smtj-sigmoid --scale-target 2 --epochs 20 --seed 1"
  [mnist-3h-analog]="--hidden 256,256,256 --levels 127 --activation smtj-sigmoid --scale-target 2 --epochs 15 --shift 1 --seed 1"
  # Fashion-MNIST (Debian's dataset-fashion-mnist), the same recipes as the SC-trained MNIST nets
  [fashion-mnist-1h-L5-sc]="--hidden 256 --levels 5 --sc-train --bits 32 --epochs 20 --seed 1 --dataset fashion-mnist"
  [fashion-mnist-1h-L11-sc]="--hidden 256 --levels 11 --sc-train --bits 32 --epochs 20 --seed 1 --dataset fashion-mnist"
  [fashion-mnist-3h-L5-sc]="--hidden 256,256,256 --levels 5 --sc-train --bits 32 --epochs 15 --shift 1 --seed 1 --dataset fashion-mnist"
  [fashion-mnist-3h-L11-sc]="--hidden 256,256,256 --levels 11 --sc-train --bits 32 --epochs 15 --shift 1 --seed 1 --dataset fashion-mnist"
  # variation-aware training (docs/devices.md): every mini-batch on a new chip, sigma 1, 5 % stuck devices;
  # in a subdirectory, so that the default sweep (weights/mnist-*.json) keeps to the nets above
  [varied/mnist-1h-L5-var]="--hidden 256 --levels 5 --sc-train --bits 32 --epochs 20 --seed 1 --variation 1 --stuck-rate 0.05"
)
ORDER=(mnist-1h-L5-sc mnist-1h-L5-nosc mnist-1h-L11-sc mnist-1h-L11-nosc mnist-3h-L5-sc mnist-3h-L5-nosc mnist-3h-L11-sc mnist-3h-L11-nosc mnist-1h-analog mnist-3h-analog
       fashion-mnist-1h-L5-sc fashion-mnist-1h-L11-sc fashion-mnist-3h-L5-sc fashion-mnist-3h-L11-sc varied/mnist-1h-L5-var)
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${ORDER[@]}")
for n in "${names[@]}"; do
  [ -n "${CMD[$n]:-}" ] || { echo "train-all.sh: unknown network $n" >&2; exit 2; }
  # shellcheck disable=SC2086
  ./scnn train ${CMD[$n]} --out "weights/$n.json"
done
