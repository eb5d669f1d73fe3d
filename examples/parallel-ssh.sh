#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The same map as parallel-local.sh spread over several machines with GNU parallel's --sshlogin:
# every host needs calcium-stdp installed (the same version: --merge refuses parts of another
# version) and SSH keys. "4/host1" runs four parts at a time on host1; ":" is this machine.
#   HOSTS=4/host1,4/host2,: SHARDS=32 examples/parallel-ssh.sh map.csv
# Parts run anywhere, in any order; --merge checks them and puts them in order. The first failed
# part stops the others and OUT is not written.
set -eu
hosts=${HOSTS:?set HOSTS, e.g. HOSTS=4/host1,4/host2,:}
out=${1:?usage: parallel-ssh.sh OUT}
n=${SHARDS:-32}
trap 'rm -f "$out.tmp.$$"' EXIT
seq "$n" | parallel -k --halt now,fail=1 --sshlogin "$hosts" \
	calcium-stdp --batch --map theta_d=0.6:1.4:9 --map theta_p=1.1:2.5:8 --reps 1000 --seed 1 \
	--threads 1 --shard '{}'/"$n" | calcium-stdp --merge - > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
