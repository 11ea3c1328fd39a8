#!/bin/sh
# Times scoring a BERT-base sized checkpoint with every statistic (zeronas score --checkpoint
# --stat all, whole process) for two zeronas binaries, and torch.linalg.svdvals (float64) on
# the same 72 matrices, in one run, noting the load before each. Usage:
#   experiments/svdspeed/run.sh BEFORE_BIN AFTER_BIN [OPENBLAS_DIR]
# OPENBLAS_DIR (optional) holds an OpenBLAS libblas.so.3 and liblapack.so.3 (e.g. unpacked from
# Debian's libopenblas0-pthread with apt-get download and dpkg -x, which leaves the system's
# BLAS alone) to time torch on OpenBLAS as well as on Debian's default reference LAPACK.
set -eu
before=$1 after=$2 ob=${3:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
here=$(dirname "$0")
python3=${PYTHON3:-/usr/bin/python3}
$python3 "$here/bertbase.py" write "$dir/bert-base.safetensors"
for bin in "$before" "$after"; do
	echo "load: $(uptime)"
	/usr/bin/time -f "$bin: %e s wall, %U s user, %S s sys" "$bin" score --checkpoint "$dir/bert-base.safetensors" --stat all --format json >"$dir/out.json"
	grep -o '"s_attn": [0-9.e+-]*' "$dir/out.json" | head -2 | tr '\n' ' '
	echo
done
echo "load: $(uptime)"
echo "torch (Debian default BLAS/LAPACK): $($python3 "$here/bertbase.py" time "$dir/bert-base.safetensors")"
if [ -n "$ob" ]; then
	echo "load: $(uptime)"
	echo "torch (OpenBLAS): $(LD_LIBRARY_PATH=$ob $python3 "$here/bertbase.py" time "$dir/bert-base.safetensors")"
fi
echo "load: $(uptime)"
