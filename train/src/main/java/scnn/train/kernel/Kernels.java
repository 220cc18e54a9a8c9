package scnn.train.kernel;

/**
 * Float kernels on row-major matrices. Every inner loop runs over contiguous memory with no
 * reduction so that HotSpot's superword pass vectorises it; products with a zero input are skipped
 * (MNIST pixels and requantized activations are mostly zero), which changes no result because the
 * skipped terms are exactly zero.
 *
 * <p>Summation order is fixed by the loop structure alone (inputs in ascending index order for
 * each output), never by threads, so results are reproducible bit for bit.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * {@code z[b][o] = sum_i x[b][i] * wt[i][o]} for rows {@code b0..b1-1}: {@code x} is
     * {@code [*][n]}, {@code wt} is {@code [n][m]} (the transposed weights), {@code z} is
     * {@code [*][m]}. Rows are handled four at a time so that each weight row is read once per
     * block from L1.
     */
    public static void matmulXW(float[] x, int n, float[] wt, int m, float[] z, int b0, int b1) {
        int b = b0;
        for (; b + 4 <= b1; b += 4) {
            int z0 = b * m, z1 = z0 + m, z2 = z1 + m, z3 = z2 + m;
            java.util.Arrays.fill(z, z0, z0 + 4 * m, 0f);
            int x0 = b * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
            for (int i = 0; i < n; i++) {
                float a0 = x[x0 + i], a1 = x[x1 + i], a2 = x[x2 + i], a3 = x[x3 + i];
                int nz = (a0 != 0f ? 1 : 0) + (a1 != 0f ? 1 : 0) + (a2 != 0f ? 1 : 0) + (a3 != 0f ? 1 : 0);
                if (nz == 0) continue;
                int w = i * m;
                if (nz >= 3) {
                    for (int o = 0; o < m; o++) {
                        float wv = wt[w + o];
                        z[z0 + o] += a0 * wv;
                        z[z1 + o] += a1 * wv;
                        z[z2 + o] += a2 * wv;
                        z[z3 + o] += a3 * wv;
                    }
                } else {
                    if (a0 != 0f) axpy(a0, wt, w, z, z0, m);
                    if (a1 != 0f) axpy(a1, wt, w, z, z1, m);
                    if (a2 != 0f) axpy(a2, wt, w, z, z2, m);
                    if (a3 != 0f) axpy(a3, wt, w, z, z3, m);
                }
            }
        }
        for (; b < b1; b++) {
            int zr = b * m, xr = b * n;
            java.util.Arrays.fill(z, zr, zr + m, 0f);
            for (int i = 0; i < n; i++) {
                float a = x[xr + i];
                if (a != 0f) axpy(a, wt, i * m, z, zr, m);
            }
        }
    }

    /** {@code y[yo..yo+len) += a * x[xo..xo+len)}. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
        for (int k = 0; k < len; k++) y[yo + k] += a * x[xo + k];
    }

    /**
     * {@code dx[b][i] = sum_o dz[b][o] * w[o][i]} for rows {@code b0..b1-1}: {@code dz} is
     * {@code [*][m]}, {@code w} is {@code [m][n]} (outputs by inputs), {@code dx} is {@code [*][n]}.
     */
    public static void matmulDzW(float[] dz, int m, float[] w, int n, float[] dx, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int dr = b * n, zr = b * m;
            java.util.Arrays.fill(dx, dr, dr + n, 0f);
            for (int o = 0; o < m; o++) {
                float g = dz[zr + o];
                if (g != 0f) axpy(g, w, o * n, dx, dr, n);
            }
        }
    }

    /**
     * Weight gradient rows {@code i0..i1-1}: {@code gt[i][o] = sum_b x[b][i] * dz[b][o]} over
     * {@code b = 0..rows-1} in ascending order ({@code gt} is {@code [n][m]}, overwritten).
     */
    public static void outerAccumulate(float[] x, int n, float[] dz, int m, int rows, float[] gt, int i0, int i1) {
        java.util.Arrays.fill(gt, i0 * m, i1 * m, 0f);
        for (int i = i0; i < i1; i++) {
            int g = i * m;
            for (int b = 0; b < rows; b++) {
                float a = x[b * n + i];
                if (a != 0f) axpy(a, dz, b * m, gt, g, m);
            }
        }
    }
}
