#!/usr/bin/env python3
"""Reference values for PaidFitTest: the total paid per unit and the fee, in money, compared
with an explicit dummy-variable OLS and a CR1 cluster-robust variance written out in NumPy
(numpy.linalg.lstsq; no alternating projections), as in reference_values.py.

Run with any python3 that has numpy: python3 src/test/python/paid_reference.py
"""
import numpy as np

np.set_printoptions(precision=17)

# the 24-quote fixture of reference_values.py: hour x channel, 8 customers, cohort 0/1/2
hour = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3])
chan = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
cust = np.array([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7])
cohort = np.array([0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 1, 1, 2, 2, 0, 1])
noise = np.array([0.013, -0.021, 0.004, 0.017, -0.009, 0.022, -0.015, 0.006, 0.011, -0.004,
                  -0.018, 0.009, 0.014, -0.012, 0.003, -0.007, 0.019, -0.016, 0.008, -0.002,
                  -0.011, 0.015, 0.005, -0.013])
# the same formulas as PaidFitTest.price / fee / coupon
price = 20 + 1.0 * hour + 0.5 * chan + 0.3 * (cohort == 1) + 0.9 * (cohort == 2) + 10 * noise
fee = 2 + 4 * (cohort == 2) + 5 * noise[::-1]
coupon = 1 + 0.5 * (cohort == 0) + 3 * np.roll(noise, 5)
total = price + fee - coupon


def cr1(y, x, d, cluster):
    full = np.column_stack([x, d])
    coef, *_ = np.linalg.lstsq(full, y, rcond=None)
    rank = np.linalg.matrix_rank(full)
    e = y - full @ coef
    xt = x - d @ np.linalg.lstsq(d, x, rcond=None)[0]
    bread = np.linalg.inv(xt.T @ xt)
    meat = np.zeros((x.shape[1], x.shape[1]))
    for g in np.unique(cluster):
        s = xt[cluster == g].T @ e[cluster == g]
        meat += np.outer(s, s)
    n, G = len(y), len(np.unique(cluster))
    c = G / (G - 1) * (n - 1) / (n - rank)
    return coef[: x.shape[1]], np.sqrt(np.diag(c * bread @ meat @ bread))


x = np.column_stack([(cohort == 1).astype(float), (cohort == 2).astype(float)])
d = np.column_stack([np.ones(len(hour))] + [(hour == h).astype(float) for h in (1, 2, 3)]
                    + [(chan == 1).astype(float)])
for name, y in (("total", total), ("fee", fee)):
    b, se = cr1(y, x, d, cust)
    print(name, "beta", repr(b), "se", repr(se))
print("reference mean total", repr(total[cohort == 0].mean()))

# A segment's money outcomes (PaidFitTest.segmentMoneyGapsMatchDummyVariableOlsWithCr1Errors):
# the same quotes compared by a membership tier of each customer (levels diamond, gold, none in
# that order; none the reference), the same fixed effects and clustering.
tier_of_customer = np.array([2, 0, 1, 2, 0, 1, 2, 1])
tier = tier_of_customer[cust]
xt = np.column_stack([(tier == 0).astype(float), (tier == 1).astype(float)])
for name, y in (("segment total", total), ("segment fee", fee), ("segment coupon", -coupon)):
    b, se = cr1(y, xt, d, cust)
    print(name, "beta", repr(b), "se", repr(se))
print("segment reference mean total", repr(total[tier == 2].mean()))
