#!/usr/bin/python3
"""Reference values for the statistical unit tests, computed independently of the Java code.

Run with Debian's python3 (numpy 1.24, scipy 1.10): /usr/bin/python3 src/test/python/reference_values.py
The Java tests quote the numbers printed here.

- Fixed effects: explicit dummy-variable OLS with numpy.linalg.lstsq (no alternating
  projections), CR1 cluster-robust variance with the Stata small-sample factor.
- Student t / normal tails: scipy.stats.
- Benjamini-Hochberg: a direct numpy implementation of the step-up rule.
- DerSimonian-Laird: a direct numpy implementation of the moment estimator.
"""
import numpy as np
from scipy import stats

np.set_printoptions(precision=17)


def fe_fixture():
    # 24 quotes: hour (4 levels) x channel (2 levels), 8 customers, cohort 0 new / 1 repeat / 2 loyal
    hour = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3])
    chan = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    cust = np.array([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7])
    cohort = np.array([0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1])
    noise = np.array([0.013, -0.021, 0.004, 0.017, -0.009, 0.022, -0.015, 0.006, 0.011, -0.004,
                      -0.018, 0.009, 0.014, -0.012, 0.003, -0.007, 0.019, -0.016, 0.008, -0.002,
                      -0.011, 0.015, 0.005, -0.013])
    y = 3.0 + 0.1 * hour + 0.05 * chan + 0.02 * (cohort == 1) + 0.06 * (cohort == 2) + noise
    return y, hour, chan, cust, cohort


def cr1(y, x, d, cluster):
    """OLS of y on [x, d]; CR1 variance of the x coefficients, K = all columns of [x, d]."""
    full = np.column_stack([x, d])
    coef, *_ = np.linalg.lstsq(full, y, rcond=None)
    rank = np.linalg.matrix_rank(full)
    e = y - full @ coef
    # partial out d from x (Frisch-Waugh-Lovell) for the sandwich
    xt = x - d @ np.linalg.lstsq(d, x, rcond=None)[0]
    bread = np.linalg.inv(xt.T @ xt)
    meat = np.zeros((x.shape[1], x.shape[1]))
    for g in np.unique(cluster):
        s = xt[cluster == g].T @ e[cluster == g]
        meat += np.outer(s, s)
    n, G = len(y), len(np.unique(cluster))
    c = G / (G - 1) * (n - 1) / (n - rank)
    v = c * bread @ meat @ bread
    return coef[: x.shape[1]], np.sqrt(np.diag(v)), G


y, hour, chan, cust, cohort = fe_fixture()
x = np.column_stack([(cohort == 1).astype(float), (cohort == 2).astype(float)])
d = np.column_stack([np.ones(len(y))] + [(hour == h).astype(float) for h in (1, 2, 3)] + [(chan == 1).astype(float)])
b, se, G = cr1(y, x, d, cust)
print("FE two-way: beta", repr(b), "se", repr(se), "clusters", G)

d1 = np.column_stack([(hour == h).astype(float) for h in (0, 1, 2, 3)])
b1, se1, _ = cr1(y, x, d1, cust)
print("FE hour only: beta", repr(b1), "se", repr(se1))

print("t sf(2.1, df=7)", repr(stats.t.sf(2.1, 7)))
print("t sf(-0.4, df=30)", repr(stats.t.sf(-0.4, 30)))
print("t isf(0.025, df=7)", repr(stats.t.isf(0.025, 7)))
print("norm sf(1.7)", repr(stats.norm.sf(1.7)))

p = np.array([0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.9, 0.0001])
m = len(p)
order = np.argsort(p)
ranked = p[order] * m / np.arange(1, m + 1)
q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
q = np.empty(m)
q[order] = np.minimum(q_sorted, 1)
print("BH p", repr(p), "q", repr(q))

est = np.array([0.05, 0.02, 0.08, -0.01])
var = np.array([0.0004, 0.0001, 0.0009, 0.0002])
w = 1 / var
ybar = np.sum(w * est) / np.sum(w)
Q = np.sum(w * (est - ybar) ** 2)
C = np.sum(w) - np.sum(w ** 2) / np.sum(w)
tau2 = max(0.0, (Q - (len(est) - 1)) / C)
ws = 1 / (var + tau2)
mu = np.sum(ws * est) / np.sum(ws)
print("DL mu", repr(mu), "se", repr(np.sqrt(1 / np.sum(ws))), "tau2", repr(tau2))

# Pearson chi-square test of independence (ChiSquareIndependenceTest), no continuity correction
for table in ([[30, 10], [10, 30]], [[20, 15, 25], [22, 14, 24]],
              [[5, 0, 12], [7, 9, 3], [1, 4, 8]], [[60, 2], [3, 55]]):
    r = stats.chi2_contingency(table, correction=False)
    print("chi2_contingency", table, "statistic", repr(float(r.statistic)),
          "p", repr(float(r.pvalue)), "dof", r.dof, "min expected", r.expected_freq.min())
