package scnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import scnn.train.kernel.Workers;

/**
 * The straight-through backward pass is the exact gradient of the surrogate network in which each
 * hidden output is {@code h = v(code0) + mask0 * (y - y0)} (the quantized value plus the identity,
 * cut to zero outside [-1, 1]) and each weight is its quantized value: checked against central
 * finite differences of that surrogate, computed independently in double.
 */
class GradientCheckTest {
    static final int[] SIZES = {7, 6, 5, 4};
    static final int BATCH = 3;

    @Test
    void backwardMatchesFiniteDifferencesOfTheStraightThroughSurrogate() {
        SplittableRandom r = new SplittableRandom(3);
        QatModel model = new QatModel(SIZES, 5, 11, 1.0);
        for (int k = 0; k < model.layers; k++) {
            model.gain[k] = (float) r.nextDouble(0.5, 1.2);
            for (int o = 0; o < model.bp[k].length; o++) model.bp[k][o] = (float) r.nextDouble(-0.3, 0.3);
        }
        Engine eng = new Engine(model, BATCH);
        double[][] x0 = new double[BATCH][SIZES[0]];
        for (int b = 0; b < BATCH; b++) {
            for (int i = 0; i < SIZES[0]; i++) {
                x0[b][i] = r.nextInt(256) / 255.0;
                eng.act[0][b * SIZES[0] + i] = (float) x0[b][i];
            }
            eng.label[b] = r.nextInt(SIZES[SIZES.length - 1]);
        }
        try (Workers w = new Workers(1)) {
            model.quantizeAll(w);
            eng.forwardBackward(w, null, 1, 0, 0, BATCH);
        }
        // Base point of the surrogate: the quantized weights and the forward pass's y0 and masks.
        int L = model.layers;
        double[][] wq = new double[L][];
        double[][] bias = new double[L][];
        for (int k = 0; k < L; k++) {
            wq[k] = new double[model.qT[k].length];
            for (int j = 0; j < wq[k].length; j++) wq[k][j] = model.qT[k][j];
            bias[k] = new double[model.bp[k].length];
            for (int o = 0; o < bias[k].length; o++) bias[k][o] = model.bp[k][o];
        }
        Surrogate s = new Surrogate(model, x0, eng.label);
        s.base = s.forward(wq, bias, true);
        int checked = 0, nonzero = 0;
        double h = 1e-4;
        for (int k = 0; k < L; k++) {
            for (int j = 0; j < wq[k].length; j++) {
                double keep = wq[k][j];
                wq[k][j] = keep + h;
                double up = s.forward(wq, bias, false).loss;
                wq[k][j] = keep - h;
                double down = s.forward(wq, bias, false).loss;
                wq[k][j] = keep;
                double fd = (up - down) / (2 * h);
                double an = eng.gradT[k][j];
                assertEquals(fd, an, 1e-4 + 1e-3 * Math.abs(fd), "weight grad layer " + k + " index " + j);
                checked++;
                if (Math.abs(fd) > 1e-3) nonzero++;
            }
            for (int o = 0; o < bias[k].length; o++) {
                double keep = bias[k][o];
                bias[k][o] = keep + h;
                double up = s.forward(wq, bias, false).loss;
                bias[k][o] = keep - h;
                double down = s.forward(wq, bias, false).loss;
                bias[k][o] = keep;
                assertEquals((up - down) / (2 * h), eng.gradB[k][o], 1e-4 + 1e-3 * Math.abs((up - down) / (2 * h)), "bias grad layer " + k);
            }
        }
        assertTrue(checked == 7 * 6 + 6 * 5 + 5 * 4);
        assertTrue(nonzero > checked / 3, "too few non-zero gradients to be a real check: " + nonzero);
        // the check must include gated units (mask 0) and passing units
        assertTrue(s.base.gated > 0 && s.base.passing > 0, "gated " + s.base.gated + " passing " + s.base.passing);
    }

    /** The surrogate network in double precision. */
    static final class Surrogate {
        final QatModel model;
        final double[][] x0;
        final int[] labels;
        State base;

        Surrogate(QatModel model, double[][] x0, int[] labels) {
            this.model = model;
            this.x0 = x0;
            this.labels = labels;
        }

        static final class State {
            double loss;
            double[][][] y; // [b][layer][o]
            int gated, passing;
        }

        State forward(double[][] wq, double[][] bias, boolean record) {
            int L = model.layers;
            State st = new State();
            st.y = new double[x0.length][L][];
            double loss = 0;
            for (int b = 0; b < x0.length; b++) {
                double[] x = x0[b];
                for (int k = 0; k < L; k++) {
                    int n = model.sizes[k], m = model.sizes[k + 1];
                    double[] z = new double[m];
                    for (int o = 0; o < m; o++) {
                        double s = 0;
                        for (int i = 0; i < n; i++) s += wq[k][i * m + o] * x[i];
                        z[o] = s;
                    }
                    double g = model.gain[k];
                    if (k == L - 1) {
                        double max = Double.NEGATIVE_INFINITY;
                        double[] sc = new double[m];
                        for (int o = 0; o < m; o++) max = Math.max(max, sc[o] = g * z[o] + bias[k][o]);
                        double sum = 0;
                        for (int o = 0; o < m; o++) sum += Math.exp(sc[o] - max);
                        loss += -(sc[labels[b]] - max - Math.log(sum));
                    } else {
                        double[] hOut = new double[m];
                        double[] y = new double[m];
                        for (int o = 0; o < m; o++) {
                            y[o] = g * z[o] + bias[k][o];
                            if (record) {
                                hOut[o] = model.levels[model.activationCode((float) y[o])];
                                if (Math.abs(y[o]) <= 1) st.passing++; else st.gated++;
                            } else {
                                double y0 = base.y[b][k][o];
                                double v0 = model.levels[model.activationCode((float) y0)];
                                hOut[o] = v0 + (Math.abs(y0) <= 1 ? y[o] - y0 : 0);
                            }
                        }
                        st.y[b][k] = y;
                        x = hOut;
                    }
                }
            }
            st.loss = loss / x0.length;
            return st;
        }
    }
}
