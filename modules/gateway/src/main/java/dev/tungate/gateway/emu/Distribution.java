package dev.tungate.gateway.emu;

/**
 * Jitter distributions as netem has them (iproute2 netem/*.c tables, kernel tabledist()). Each is
 * a standardised quantile function {@code q(u)}, u in [0, 1); a delay is {@code delay + jitter * q(u)}.
 *
 * <p>netem samples tables of 4096 entries in units of 1/8192 (NETEM_DIST_SCALE); here the same
 * functions are computed in double precision instead. Deviation: no table quantisation.
 */
public enum Distribution {
    /** netem without a table: {@code ((rnd % 2σ) + μ) - σ}, uniform on [μ-σ, μ+σ). */
    UNIFORM,
    /** iproute2 normal.c: the standard normal quantile. */
    NORMAL,
    /**
     * iproute2 pareto.c: Pareto with shape a=3, x_m=1, centred and scaled,
     * {@code ((1-u)^(-1/3) - 1.5) * 4/3}, clipped at 32767/8192 as the table is.
     */
    PARETO,
    /**
     * iproute2 paretonormal.c: {@code (normal(i) + 3 * pareto(i)) / 4} of the same table index i,
     * a quarter normal and three quarters Pareto of one quantile (comonotonic), not a mixture.
     */
    PARETONORMAL;

    /** The largest table value, 32767 / NETEM_DIST_SCALE (8192). */
    static final double TABLE_MAX = 32767.0 / 8192.0;

    /** The standardised quantile at u in [0, 1). */
    public double quantile(double u) {
        switch (this) {
            case UNIFORM: return 2.0 * u - 1.0;
            case NORMAL: return normalQuantile(u);
            case PARETO: return pareto(u);
            default: return (normalQuantile(u) + 3.0 * pareto(u)) / 4.0;
        }
    }

    static double pareto(double u) {
        double v = (1.0 / Math.cbrt(1.0 - u) - 1.5) * (4.0 / 3.0);
        return Math.min(v, TABLE_MAX);
    }

    /**
     * Inverse standard normal CDF (P. J. Acklam's rational approximation, relative error
     * 1.15e-9), clamped to ±10 as iproute2's normal.c table is built over [-10, 10].
     */
    static double normalQuantile(double u) {
        if (u <= 0) return -10.0;
        if (u >= 1) return 10.0;
        double q, r;
        if (u < P_LOW) {
            q = Math.sqrt(-2 * Math.log(u));
            return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        if (u > 1 - P_LOW) {
            q = Math.sqrt(-2 * Math.log(1 - u));
            return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        q = u - 0.5;
        r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }

    private static final double P_LOW = 0.02425;
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
}
