#!/usr/bin/env bash
# Spark resource discovery script for GPUs (spark.worker.resource.gpu.discoveryScript,
# spark.executor.resource.gpu.discoveryScript). Prints {"name":"gpu","addresses":["0","1",...]}: the CUDA device
# indices this process can use, which dev.dera.spark.TaskDevices turns into DJL devices.
#
# Where the addresses come from, first match wins:
#   DERA_FAKE_GPUS=0,1       fixed addresses, for tests and machines without GPUs ("" means no GPU)
#   CUDA_VISIBLE_DEVICES     set: its positions 0..n-1, the ordinals CUDA gives those devices (up to the first
#                            negative entry, as CUDA reads it: "" or -1 means no GPU)
#   nvidia-smi               every GPU of the machine (--query-gpu=index)
set -euo pipefail

if [[ $# -ne 0 ]]; then
  echo "usage: $(basename "$0")   (no arguments; set DERA_FAKE_GPUS=0,1 to report fixed GPUs)" >&2
  exit 2
fi

if [[ -n "${DERA_FAKE_GPUS+set}" ]]; then
  addresses="$DERA_FAKE_GPUS"
elif [[ -n "${CUDA_VISIBLE_DEVICES+set}" ]]; then
  IFS=, read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
  addresses=""
  for ((i = 0; i < ${#visible[@]}; i++)); do
    [[ "${visible[i]}" == -* ]] && break
    addresses+="${addresses:+,}$i"
  done
elif command -v nvidia-smi > /dev/null; then
  addresses="$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | paste -sd, -)"
else
  echo "gpu-discovery: no nvidia-smi on PATH and neither CUDA_VISIBLE_DEVICES nor DERA_FAKE_GPUS is set" >&2
  exit 1
fi

json=""
IFS=, read -r -a list <<< "$addresses"
for address in "${list[@]}"; do
  address="${address// /}"
  if [[ ! "$address" =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery: \"$address\" is not a GPU index (addresses: \"$addresses\")" >&2
    exit 1
  fi
  json+="${json:+,}\"$address\""
done
printf '{"name":"gpu","addresses":[%s]}\n' "$json"
