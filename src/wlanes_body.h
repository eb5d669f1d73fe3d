/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The body of the weight model's lane kernel (wlanes.h): WL trials in lockstep, one per lane, each
 * taking its own next event at every iteration. Included by wlanes.c once per instruction set with
 * WL (lanes), WG (groups of lanes a call), WN (a name suffix), WFN (the function), and GATHER / ANY
 * where the set has them. Every lane does the same IEEE operations in the same order whatever the
 * width, and nothing is contracted (-ffp-contract=off), so every path gives the same bits for a
 * trial. */

#define WCAT_(a, b) a##b
#define WCAT(a, b)  WCAT_(a, b)
#define VD          WCAT(vd_, WN)
#define VI          WCAT(vi_, WN)
#define VU          WCAT(vu_, WN)
typedef double VD __attribute__((vector_size(8 * WL)));
typedef int64_t VI __attribute__((vector_size(8 * WL)));
typedef uint64_t VU __attribute__((vector_size(8 * WL)));

#define VZERO     ((VD){0})
#define VIZERO    ((VI){0})
#define VUZERO    ((VU){0})
#define VSPLAT(x) ((VD){0} + (x))
/* Lanes of a where mask is true, of b elsewhere. */
#define SEL(mask, a, b) ((VD)(((VI)(a) & (mask)) | ((VI)(b) & ~(mask))))

#define any        WCAT(any_, WN)
#define uniform    WCAT(uniform_, WN)
#define vexp       WCAT(vexp_, WN)
#define vexp_near0 WCAT(vexp_near0_, WN)
#define vexp_far   WCAT(vexp_far_, WN)
#define vlog       WCAT(vlog_, WN)
#define gather     WCAT(gather_, WN)
#define relax      WCAT(relax_, WN)
#define TABS       WCAT(tabs_, WN)
#define tabs_init  WCAT(tabs_init_, WN)

static inline __attribute__((always_inline)) int any(VI m)
{
#ifdef ANY
	return ANY(m);
#else
	int64_t a = 0;
	for (int l = 0; l < WL; l++)
		a |= m[l];
	return a != 0;
#endif
}

/* t[idx[l]] in every lane l. */
static inline __attribute__((always_inline)) VD gather(const double *t, VI idx)
{
#ifdef GATHER
	return GATHER(t, idx);
#else
	VD r = VZERO;
	for (int l = 0; l < WL; l++)
		r[l] = t[idx[l]];
	return r;
#endif
}

/* Uniform in [0, 1) with 52 bits, from each lane's splitmix64 stream. */
static inline __attribute__((always_inline)) VD uniform(VU *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	VU z = *s;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z = z ^ (z >> 31);
	return (VD)((z >> 12) | 0x3ff0000000000000ULL) - 1.0;
}

/* What a call's lanes share: the setup's numbers in every lane, computed once (the loops read them
 * from memory rather than broadcasting them at every event), and the 16-entry tables as the path
 * reads them: from registers (PERMUTE16) or from memory. */
typedef struct TABS {
	VD T, delay, dt, lo, hi, tau_ca, ln_lo, ln_hi;
	VD nk_hi, nk_d, nk_p, wbar;       /* -k_hi, -k_d, -k_p, wbar */
	VD c_pre, c_post, eta, U, one_u; /* one_u: 1 - U */
	VD ninv_tau_ca, ninv_tau_rec, ninv_rpre, ninv_rind;
	/* The setup's choices: g > 0, theta_d <= theta_p, depression, a transient scaled by w, paired
	 * posts with probability 1 (all) or between 0 and 1 (some), independent posts. */
	int g_pos, d_low, std, scaled, all, some, ind;
	/* Constants the compiler would otherwise rebuild from immediates at every use. */
	VD one, inf, m700;
	VU mant, one_b, e_b, k_b; /* the mantissa's bits; 1.0, 2^52 and 1.5 2^52 as bits */
#ifdef PERMUTE16
	VD e0, e1, i0, i1, l0, l1; /* exp, 1 / c_j, -log: entries 0-7 and 8-15 */
#endif
} TABS;

static inline __attribute__((always_inline)) void tabs_init(TABS *tb, const wlanes_setup *su)
{
	const weight_model *m = &su->m;
	*tb = (TABS){.T = VSPLAT(su->T),
	             .delay = VSPLAT(m->delay),
	             .dt = VSPLAT(su->dt),
	             .lo = VSPLAT(su->lo),
	             .hi = VSPLAT(su->hi),
	             .tau_ca = VSPLAT(m->tau_ca),
	             .ln_lo = VSPLAT(m->ln_lo),
	             .ln_hi = VSPLAT(m->ln_hi),
	             .nk_hi = VSPLAT(-su->k_hi),
	             .nk_d = VSPLAT(-su->k_d),
	             .nk_p = VSPLAT(-su->k_p),
	             .wbar = VSPLAT(su->wbar),
	             .c_pre = VSPLAT(m->c_pre),
	             .c_post = VSPLAT(m->c_post),
	             .eta = VSPLAT(m->eta),
	             .U = VSPLAT(m->U),
	             .one_u = VSPLAT(1 - m->U),
	             .ninv_tau_ca = VSPLAT(-su->inv_tau_ca),
	             .ninv_tau_rec = VSPLAT(-su->inv_tau_rec),
	             .ninv_rpre = VSPLAT(-su->inv_rpre),
	             .ninv_rind = VSPLAT(-su->inv_rind),
	             .g_pos = su->g > 0,
	             .d_low = m->theta_d <= m->theta_p,
	             .std = m->U > 0,
	             .scaled = m->scaled,
	             .all = su->prob >= 1,
	             .some = su->prob > 0 && su->prob < 1,
	             .ind = su->rind > 0,
	             .one = VSPLAT(1.0),
	             .inf = VSPLAT(INFINITY),
	             .m700 = VSPLAT(-700.0),
	             .mant = VUZERO + 0x000fffffffffffffULL,
	             .one_b = VUZERO + 0x3ff0000000000000ULL,
	             .e_b = VUZERO + 0x4330000000000000ULL,
	             .k_b = VUZERO + 0x4338000000000000ULL};
#ifdef PERMUTE16
	for (int l = 0; l < 8; l++) {
		tb->e0[l] = weight_exp2[4 * l], tb->e1[l] = weight_exp2[4 * (l + 8)];
		tb->i0[l] = wl_inv[l], tb->i1[l] = wl_inv[l + 8];
		tb->l0[l] = wl_lg[l], tb->l1[l] = wl_lg[l + 8];
	}
#endif
}

/* Entry j mod 16 of a table: t[stride j] in memory, or lo / hi in registers. */
#ifdef PERMUTE16
#define LOOK(t, stride, lo, hi, j) PERMUTE16((lo), (j), (hi))
#else
#define LOOK(t, stride, lo, hi, j) gather((t), ((j)&15) * (stride))
#endif

/* exp of x <= 700: x = k ln2/16 + r, |r| <= ln2/32, exp(x) = 2^(k/16) exp(r), exp(r) by its Taylor
 * series to r^7 (truncation below 2e-18) in Estrin's order (short chains of dependent operations),
 * 2^(k/16) as a table entry times a power of 2 added to the exponent; x below -700 gives 0. */
static inline __attribute__((always_inline)) VD vexp(VD x, const TABS *tb)
{
	VI small = x < tb->m700;
	x = SEL(small, tb->m700, x);
	VD big = x * 0x1.71547652b82fep+4 + 0x1.8p52;
	VD kd = big - 0x1.8p52;
	VD r = (x - kd * 0x1.62e42ff000000p-5) - kd * -0x1.718432a1b0e26p-39;
	VD r2 = r * r, r4 = r2 * r2;
	VD p01 = 1 + r, p23 = 0.5 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120);
	VD p67 = 1.0 / 720 + r * (1.0 / 5040);
	VD q = (p01 + r2 * p23) + r4 * (p45 + r2 * p67);
	VI k = (VI)big - (VI)tb->k_b; /* kd as an integer */
	VD y = LOOK(weight_exp2, 4, tb->e0, tb->e1, k) * q;
	/* (k >> 4) << 52: bits 4-15 of k at the top (a logical shift, which AVX2 has for 64 bits). */
	return SEL(small, VZERO, (VD)((VU)y + (((VU)k >> 4) << 52)));
}

/* vexp where far, y elsewhere: out of line, so that the rare call leaves the common path's
 * registers alone. */
static __attribute__((noinline, cold)) VD vexp_far(VD x, VD y, VI far, const TABS *tb)
{
	return SEL(far, vexp(x, tb), y);
}

/* exp of x <= 0: 1 + x + x^2 g(x) for x >= -1/8, g (exp(x) - 1 - x) / x^2 by its polynomial of degree
 * 6 closest to it on [-1/8, 0] (Chebyshev's fit, coefficients rounded to double: relative error
 * below 3e-18, less than the Taylor series to x^10 leaves) in Estrin's order; anything below -1/8
 * as vexp. The relaxation's exponents are of this size, but the choice is each lane's own: a
 * lane's bits never depend on its neighbours. */
static inline __attribute__((always_inline)) VD vexp_near0(VD x, const TABS *tb)
{
	VD x2 = x * x, x4 = x2 * x2;
	VD g01 = 0x1.ffffffffffffdp-2 + x * 0x1.5555555554463p-3;
	VD g23 = 0x1.5555555336bcep-5 + x * 0x1.11110f79967dfp-7;
	VD g45 = 0x1.6c159db21830bp-10 + x * 0x1.9fae97fdec8c3p-13;
	VD g = (g01 + x2 * g23) + x4 * (g45 + x2 * 0x1.8c66d121988fap-16);
	VD y = (1 + x) + x2 * g;
	VI far = x < VSPLAT(-0.125);
	if (__builtin_expect(any(far), 0))
		y = vexp_far(x, y, far, tb);
	return y;
}

/* log of positive normal numbers: x = 2^e m, m in [1, 2); log m = log(m / c_j') + log c_j' with
 * r = m / c_j' - 1, |r| < 1/32; log(1 + r) = r + r^2 q(r), q (log(1 + r) - r) / r^2 by its
 * polynomial of degree 7 closest to it on [-0.0313, 0.0313] (Chebyshev's fit, coefficients rounded to
 * double: error below 1e-18, less than the series to r^10 leaves) in Estrin's order. */
static inline __attribute__((always_inline)) VD vlog(VD x, const TABS *tb)
{
	VI b = (VI)x;
	VI j = (VI)((VU)b >> 48); /* the table reads the low 4 bits: the top 4 of the mantissa */
	VD m = (VD)(((VU)b & tb->mant) | tb->one_b);
	VD r = m * LOOK(wl_inv, 1, tb->i0, tb->i1, j) - 1;
	VD r2 = r * r, r4 = r2 * r2;
	VD q01 = -0x1.ffffffffffff3p-2 + r * 0x1.555555555554ap-2;
	VD q23 = -0x1.00000000678dbp-2 + r * 0x1.9999999a55e23p-3;
	VD q45 = -0x1.55554534fdd00p-3 + r * 0x1.24923a7b72cf0p-3;
	VD q67 = -0x1.0066d7e76e9dap-3 + r * 0x1.c7d76f857a548p-4;
	VD q = (q01 + r2 * q23) + r4 * (q45 + r2 * q67);
	VD l1p = r + r2 * q;
	/* e from the biased exponent (x is positive: no sign bit) put in a mantissa. */
	VD ed = (VD)(((VU)b >> 52) | tb->e_b) - 0x1.00000000003ffp52;
	return (ed * 0x1.62e42ff000000p-1 + LOOK(wl_lg, 1, tb->l0, tb->l1, j)) +
	       (l1p + ed * -0x1.718432a1b0e26p-35);
}

/* weight_advance's relaxation of w over L (per lane) from calcium c0: the stretches above the
 * thresholds, as tau_ca ln(c0 / theta). */
static inline __attribute__((always_inline)) VD relax(const TABS *tb, VD w, VD c0, VD L)
{
	VI above_lo = c0 > tb->lo, above_hi = c0 > tb->hi;
	VD lc = vlog(SEL(above_lo, c0, tb->one), tb);
	VD thi = tb->tau_ca * (lc - tb->ln_hi);
	VD tlo = tb->tau_ca * (lc - tb->ln_lo);
	thi = SEL(above_hi, SEL(thi < L, thi, L), VZERO);
	tlo = SEL(above_lo, SEL(tlo < L, tlo, L) - thi, VZERO);
	if (tb->g_pos) {
		VD e = vexp_near0(thi * tb->nk_hi, tb);
		w = SEL(thi > VZERO, tb->wbar + (w - tb->wbar) * e, w);
	}
	if (tb->d_low) {
		VD e = vexp_near0(tlo * tb->nk_d, tb);
		w = SEL(tlo > VZERO, w * e, w);
	} else {
		VD e = vexp_near0(tlo * tb->nk_p, tb);
		w = SEL(tlo > VZERO, VSPLAT(1.0) - (VSPLAT(1.0) - w) * e, w);
	}
	return w;
}

#define WST   WCAT(wst_, WN)
#define wgen  WCAT(wgen_, WN)
#define wstep WCAT(wstep_, WN)
#define WS    (WG * WL) /* the stride of the spike lists: WG groups of WL lanes */

/* Stores v at p (WL doubles, any alignment). */
#define STORE(p, v) __builtin_memcpy((p), &(v), sizeof(VD))

/* One group of WL trials between events: each lane's calcium, weight and time, and its positions in
 * its lists of presynaptic spikes (i), paired post spikes (j) and independent post spikes (n). */
typedef struct WST {
	VD cpre, cpost, w, now;
	VI i, j, n;
	int live;
} WST;

/* Draw group g's trains into the lists, trial first + l in lane l (lanes beyond count copy lane 0,
 * unused); entry k of a lane at k * WS + g * WL + l, every list ended by +inf:
 * - pre: the presynaptic spikes t_k, and in amp the depression factor U x_k their transients take
 *   (x as weight_pre computes it, from the transients' times t_k + delay);
 * - pair: the paired post spikes when 0 < prob < 1 (with prob 1 they are the pre list plus dt from
 *   entry s->j on: those at or before 0 are a leading run);
 * - ind: the independent post spikes. */
static inline __attribute__((always_inline)) int wgen(const wlanes_setup *su, const TABS *tb, uint64_t first,
                                                      uint32_t count, int g, WST *s, wlanes_buf *buf)
{
	const weight_model *m = &su->m;
	VD T = tb->T, inf = tb->inf;
	VU rp = VUZERO, rc = VUZERO, ri = VUZERO;
	*s = (WST){.w = VSPLAT(PARAMS_W0), .live = 1};
	for (int l = 0; l < WL; l++) {
		rng a, b, c;
		uint64_t trial = first + (uint64_t)(l < (int)count ? l : 0);
		rng_init(&a, su->seed, su->index, 2, trial);
		rng_init(&b, su->seed, su->index, 3, trial);
		rng_init(&c, su->seed, su->index, 4, trial);
		rp[l] = a.s, rc[l] = b.s, ri[l] = c.s;
	}
	if (wlanes_grow(buf, su, 2) < 0)
		return -1;
	int some = su->prob > 0 && su->prob < 1, all = su->prob >= 1;
	size_t npair[WL] = {0};
	VD t = VZERO, ta_last = VZERO, x = VSPLAT(1.0);
	size_t k = 0;
	for (;; k++) {
		if (k + 2 > buf->cap && wlanes_grow(buf, su, k + 2) < 0)
			return -1;
		t = t + vlog(VSPLAT(1.0) - uniform(&rp), tb) * tb->ninv_rpre;
		VI live = t < T;
		if (!any(live))
			break;
		VD tl = SEL(live, t, inf);
		STORE(buf->pre + k * WS + g * WL, tl);
		if (m->U > 0) {
			/* weight_pre: x recovers from x (1 - U) over the time since the last transient. */
			VD ta = t + tb->delay;
			if (k > 0) {
				VD rec = vexp((ta - ta_last) * tb->ninv_tau_rec, tb);
				x = VSPLAT(1.0) - (VSPLAT(1.0) - x * tb->one_u) * rec;
			}
			ta_last = ta;
			VD a = tb->U * x;
			STORE(buf->amp + k * WS + g * WL, a);
		}
		VD tq = t + tb->dt;
		if (all) {
			/* Pairs at or before 0 lead the list: s->j starts after them. */
			s->j = s->j - (live & ~(tq > VZERO));
		} else if (some) {
			VD coin = uniform(&rc);
			VI keep = live & (coin < VSPLAT(su->prob)) & (tq > VZERO) & (tq < T);
			for (int l = 0; l < WL; l++) {
				buf->pair[npair[l] * WS + g * WL + l] = tq[l];
				npair[l] += keep[l] != 0;
			}
		}
	}
	STORE(buf->pre + k * WS + g * WL, inf);
	if (m->U > 0) /* read (and unused) where a lane's list has ended */
		STORE(buf->amp + k * WS + g * WL, x);
	if (some)
		for (int l = 0; l < WL; l++)
			buf->pair[npair[l] * WS + g * WL + l] = INFINITY;
	if (su->rind > 0) {
		t = VZERO;
		for (k = 0;; k++) {
			if (k + 2 > buf->cap && wlanes_grow(buf, su, k + 2) < 0)
				return -1;
			t = t + vlog(VSPLAT(1.0) - uniform(&ri), tb) * tb->ninv_rind;
			VI live = t < T;
			if (!any(live))
				break;
			VD tl = SEL(live, t, inf);
			STORE(buf->ind + k * WS + g * WL, tl);
		}
		STORE(buf->ind + k * WS + g * WL, inf);
	}
	return 0;
}

/* Each lane of group g takes its next event (weight_advance, then weight_pre or weight_post); 0
 * when every lane is past T. */
static inline __attribute__((always_inline)) int wstep(const TABS *tb, WST *s, const wlanes_buf *buf, VI lane)
{
	VD T = tb->T, inf = tb->inf;
	VD ta = gather(buf->pre, s->i * WS + lane) + tb->delay;
	VD tp = inf, tind = inf;
	if (tb->all)
		tp = gather(buf->pre, s->j * WS + lane) + tb->dt;
	else if (tb->some)
		tp = gather(buf->pair, s->j * WS + lane);
	if (tb->ind)
		tind = gather(buf->ind, s->n * WS + lane);
	VI pair_first = tp < tind;
	VD tpost = SEL(pair_first, tp, tind);
	VI first_pre = ta <= tpost;
	VD tn = SEL(first_pre, ta, tpost);
	VI act = tn < T;
	if (!any(act))
		return 0;
	/* weight_advance to tn (lanes that are done stay where they are: L = 0). */
	VD L = SEL(act, tn - s->now, VZERO);
	VD w = relax(tb, s->w, s->cpre + s->cpost, L);
	VD f = vexp(L * tb->ninv_tau_ca, tb);
	VD cpre = s->cpre * f, cpost = s->cpost * f;
	s->now = SEL(act, tn, s->now);
	VI is_pre = act & first_pre, is_post = act & ~first_pre;
	VD amp = tb->c_pre;
	if (tb->scaled)
		amp = amp * w;
	if (tb->std)
		amp = amp * gather(buf->amp, s->i * WS + lane);
	cpre = SEL(is_pre, cpre + amp, cpre);
	s->cpost = SEL(is_post, cpost + (tb->c_post + tb->eta * cpre), cpost);
	s->cpre = cpre;
	s->w = w;
	s->i = s->i - is_pre; /* a true mask is -1 */
	if (tb->all | tb->some)
		s->j = s->j - (is_post & pair_first);
	if (tb->ind)
		s->n = s->n - (is_post & ~pair_first);
	return 1;
}

/* Up to WG WL trials: WG groups of WL lanes whose events interleave, so that one group's chain of
 * dependent operations (calcium, its logarithm, the weight) overlaps the others'. */
static void WFN(const wlanes_setup *su, uint64_t first, uint32_t count, double *out, wlanes_buf *buf)
{
	WST s[WG];
	VI lane[WG];
	TABS tb;
	tabs_init(&tb, su);
	/* From here on tb is memory the loops read, not constants to rebuild at every event. */
	__asm__("" : "+m"(tb));
	int live = 0;
	for (int g = 0; g < WG; g++) {
		uint32_t done = (uint32_t)g * WL;
		uint32_t c = count > done ? (count - done < WL ? count - done : WL) : 0;
		for (int l = 0; l < WL; l++)
			lane[g][l] = g * WL + l;
		/* A group without trials draws nothing and takes no step. */
		s[g] = (WST){.live = 0};
		if (c && wgen(su, &tb, first + done, c, g, &s[g], buf) < 0) {
			for (uint32_t l = 0; l < count; l++)
				out[l] = NAN;
			return;
		}
		live |= s[g].live;
	}
	while (live) {
		live = 0;
#pragma GCC unroll 8
		for (int g = 0; g < WG; g++)
			if (s[g].live)
				live |= s[g].live = wstep(&tb, &s[g], buf, lane[g]);
	}
	/* Read-out at T. */
	for (int g = 0; g < WG && (uint32_t)g * WL < count; g++) {
		VD w = relax(&tb, s[g].w, s[g].cpre + s[g].cpost, tb.T - s[g].now);
		for (uint32_t l = 0; l < WL && (uint32_t)g * WL + l < count; l++)
			out[g * WL + l] = w[l] / PARAMS_W0;
	}
}

#undef STORE
#undef WST
#undef wgen
#undef wstep
#undef WS
#undef VD
#undef VI
#undef VU
#undef VZERO
#undef VIZERO
#undef VUZERO
#undef VSPLAT
#undef SEL
#undef any
#undef uniform
#undef vexp
#undef vexp_near0
#undef vexp_far
#undef vlog
#undef gather
#undef relax
#undef TABS
#undef tabs_init
#undef LOOK
