# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: one point of the DP curve (dt = +10 ms) in Brian2, as the paper's Brian2 example of
Fig. 2C computes each of its points: REPS synapses starting DOWN and REPS starting UP, 60 pairs at
1 Hz, 0.1 ms steps of the "heun" method, on one core. Prints U, D and the change, so the run can be
compared with calcium-stdp --batch --set dt_min=10 --set dt_max=10 --set points=1.

    python3 bench/brian2_point.py [REPS]      (needs Brian2: apt-get install python3-brian)
"""
import sys

import numpy as np
from brian2 import NeuronGroup, Synapses, ms, second, run

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
DT_MS = 10.0
T_PRE_MS = 100.0  # the pre spike, at 1 Hz (refractory 1 s) from here

pre = NeuronGroup(1, "", threshold=f"t>{T_PRE_MS}*ms", refractory=1 * second)
post = NeuronGroup(2 * REPS, "tspike:second", threshold="t>tspike", refractory=1 * second)
post.tspike = (T_PRE_MS + DT_MS) * ms
model = """
drho/dt = (-rho*(1-rho)*(rho_star-rho) + gamma_p*(1-rho)*int(c > theta_p)
           - gamma_d*rho*int(c > theta_d)
           + sigma*sqrt(tau)*sqrt(int(c > theta_d) + int(c > theta_p))*xi) / tau : 1 (clock-driven)
dc/dt = -c/tau_ca : 1 (clock-driven)
tau : second (constant, shared)
tau_ca : second (constant, shared)
rho_star : 1 (constant, shared)
gamma_p : 1 (constant, shared)
gamma_d : 1 (constant, shared)
theta_p : 1 (constant, shared)
theta_d : 1 (constant, shared)
sigma : 1 (constant, shared)
"""
syn = Synapses(pre, post, model=model, on_pre="c += 1", on_post="c += 2", delay=13.7 * ms,
               method="heun")
syn.connect()
syn.tau, syn.tau_ca, syn.rho_star = 150 * second, 20 * ms, 0.5
syn.gamma_p, syn.gamma_d, syn.theta_p, syn.theta_d, syn.sigma = 321.808, 200, 1.3, 1.0, 2.8284
start = np.array([0.0] * REPS + [1.0] * REPS)
syn.rho = start
run(60 * second)
rho = np.asarray(syn.rho[:])
u = np.mean(rho[start < 0.5] > 0.5)
d = np.mean(rho[start > 0.5] < 0.5)
beta, b = 0.5, 5.0
change = ((1 - u) * beta + d * (1 - beta) + b * (u * beta + (1 - d) * (1 - beta))) / (beta + (1 - beta) * b)
print(f"dt_ms={DT_MS:g} U={u:.3f} D={d:.3f} change={change:.4f} reps={REPS}")
