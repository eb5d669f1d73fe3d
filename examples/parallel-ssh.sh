#!/bin/sh
# The same map as parallel-local.sh spread over several machines with GNU parallel's --sshlogin:
# every host needs calcium-stdp installed (the same version: the numbers must agree) and SSH keys.
# "4/host1" runs four shards at a time on host1; ":" is this machine.
#   HOSTS=4/host1,4/host2,: SHARDS=32 examples/parallel-ssh.sh > map.csv
# Shards run anywhere, in any order; -k puts their outputs back in shard order.
set -eu
hosts=${HOSTS:?set HOSTS, e.g. HOSTS=4/host1,4/host2,:}
n=${SHARDS:-32}
seq "$n" | parallel -k --halt now,fail=1 --sshlogin "$hosts" \
	calcium-stdp --batch --map theta_d=0.6:1.4:9 --map theta_p=1.1:2.5:8 --reps 1000 --seed 1 \
	--threads 1 --shard '{}'/"$n"
