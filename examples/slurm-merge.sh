#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Merge the parts of examples/slurm-map.sbatch (DIR/part-*.csv, default parts) into OUT, checked by
# calcium-stdp --merge: a missing, truncated or repeated part, or one of another run (a part left
# over from an earlier job), is refused with a message naming it, and OUT is not written. OUT is
# written under a temporary name and renamed when complete.
#   examples/slurm-merge.sh OUT [DIR]
set -eu
prog=${CALCIUM_STDP:-calcium-stdp}
out=${1:?usage: slurm-merge.sh OUT [DIR]}
dir=${2:-parts}
trap 'rm -f "$out.tmp.$$"' EXIT
"$prog" --merge "$dir"/part-*.csv > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
