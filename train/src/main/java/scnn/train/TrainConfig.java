package scnn.train;

import scnn.core.model.Encoding;

import java.util.Arrays;

/**
 * Everything that determines a training run. {@link #validate()} checks every value and throws
 * an {@link IllegalArgumentException} with one line naming the option.
 *
 * @param hidden      hidden layer sizes (at least one)
 * @param levels      number of quantization levels L (odd, 3..127)
 * @param scTrain     train with the SC noise model in the forward pass
 * @param bits        bitstream length N of the noise model (used when {@code scTrain})
 * @param encoding    SC encoding of the noise model
 * @param epochs      passes over the training images
 * @param batch       mini-batch size
 * @param lr          Adam learning rate (cosine-decayed to 0 over the run)
 * @param seed        seed of every random choice
 * @param threads     worker threads (results do not depend on it)
 * @param val         training images held out for validation (the last {@code val} of the 60,000)
 * @param trainImages use only the first {@code trainImages} of the remaining training images (0 = all)
 * @param scaleTarget hidden scale is chosen so that the pre-activation {@code y} has this standard deviation at initialisation
 * @param initRange   shadow weights start uniform in {@code [-initRange, initRange]}
 * @param shift       data augmentation: each training image is shifted by a random whole number of pixels in
 *                    {@code [-shift, shift]} horizontally and vertically (0 = off), drawn per (seed, epoch, example)
 * @param analog      the analog baseline: hidden activation {@code smtj-sigmoid} (s-MTJ sigmoid) instead of the
 *                    requantizer, and the dyadic weight grid {@code v_c = (c - (L-1)/2) / ((L+1)/2)} (L + 1 a power of
 *                    two), whose magnitudes a D-bit threshold expresses exactly
 * @param variation   variation-aware training: sigma of every s-MTJ's bias offset, in sigmoid widths (the
 *                    device model of {@code --variation} in generate/simulate), drawn afresh for every
 *                    mini-batch as a new chip ({@link ChipNoise}); 0 = off
 * @param stuckRate   with it, the fraction of devices stuck at 0 or 1 in each drawn chip (0 = none)
 */
public record TrainConfig(int[] hidden, int levels, boolean scTrain, int bits, Encoding encoding,
                          int epochs, int batch, double lr, long seed, int threads, int val,
                          int trainImages, double scaleTarget, double initRange, int shift, boolean analog,
                          double variation, double stuckRate) {

    /** Ideal devices (no variation-aware training). */
    public TrainConfig(int[] hidden, int levels, boolean scTrain, int bits, Encoding encoding,
                       int epochs, int batch, double lr, long seed, int threads, int val,
                       int trainImages, double scaleTarget, double initRange, int shift, boolean analog) {
        this(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, val, trainImages, scaleTarget, initRange, shift, analog, 0, 0);
    }

    public static final int DEFAULT_EPOCHS = 20;
    public static final int DEFAULT_BATCH = 64;
    public static final double DEFAULT_LR = 0.03;
    public static final double DEFAULT_SCALE_TARGET = 1.0;
    public static final double DEFAULT_INIT_RANGE = 1.0;

    /** Defaults for everything but the shape and levels. */
    public static TrainConfig of(int[] hidden, int levels) {
        return new TrainConfig(hidden, levels, false, 0, Encoding.SIGN_MAGNITUDE, DEFAULT_EPOCHS, DEFAULT_BATCH,
                DEFAULT_LR, 1, 2, 5000, 0, DEFAULT_SCALE_TARGET, DEFAULT_INIT_RANGE, 0, false);
    }

    public TrainConfig withSc(int bits, Encoding enc) {
        return new TrainConfig(hidden, levels, true, bits, enc, epochs, batch, lr, seed, threads, val, trainImages, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, e, batch, lr, seed, threads, val, trainImages, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withThreads(int t) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, t, val, trainImages, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, s, threads, val, trainImages, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withData(int valImages, int trainImg) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, valImages, trainImg, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withLr(double l) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, l, seed, threads, val, trainImages, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withBatch(int b) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, b, lr, seed, threads, val, trainImages, scaleTarget, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withScaleTarget(double s) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, val, trainImages, s, initRange, shift, analog, variation, stuckRate);
    }

    public TrainConfig withInitRange(double r) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, val, trainImages, scaleTarget, r, shift, analog, variation, stuckRate);
    }

    public TrainConfig withAnalog(boolean a) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, val, trainImages, scaleTarget, initRange, shift, a, variation, stuckRate);
    }

    public TrainConfig withShift(int sh) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, val, trainImages, scaleTarget, initRange, sh, analog, variation, stuckRate);
    }

    public TrainConfig withVariation(double sigma, double stuck) {
        return new TrainConfig(hidden, levels, scTrain, bits, encoding, epochs, batch, lr, seed, threads, val, trainImages, scaleTarget, initRange, shift, analog, sigma, stuck);
    }

    /** Variation-aware training is on. */
    public boolean varied() {
        return variation > 0 || stuckRate > 0;
    }

    /** Layer sizes including the 784 inputs and the 10 outputs. */
    public int[] sizes(int inputs, int classes) {
        int[] s = new int[hidden.length + 2];
        s[0] = inputs;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = classes;
        return s;
    }

    /** Checks every value against the training set size {@code available} (60,000 for MNIST). */
    public void validate(int available) {
        if (hidden == null || hidden.length == 0) throw new IllegalArgumentException("--hidden: give at least one hidden layer size, e.g. 256");
        if (hidden.length > 16) throw new IllegalArgumentException("--hidden: at most 16 hidden layers, got " + hidden.length);
        for (int h : hidden)
            if (h < 1 || h > 65536) throw new IllegalArgumentException("--hidden: layer sizes must be in 1..65536, got " + h);
        if (levels < 3 || levels > 127 || levels % 2 == 0)
            throw new IllegalArgumentException("--levels must be odd and in 3..127, got " + levels);
        if (scTrain && (bits < 1 || bits > 1 << 20))
            throw new IllegalArgumentException("--bits must be in 1..1048576 with --sc-train, got " + bits);
        if (epochs < 1 || epochs > 10000) throw new IllegalArgumentException("--epochs must be in 1..10000, got " + epochs);
        if (batch < 1 || batch > 4096) throw new IllegalArgumentException("--batch must be in 1..4096, got " + batch);
        if (!(lr > 0 && lr <= 1)) throw new IllegalArgumentException("--lr must be in (0, 1], got " + lr);
        if (threads < 1 || threads > 256) throw new IllegalArgumentException("--threads must be in 1..256, got " + threads);
        if (val < 0 || val >= available) throw new IllegalArgumentException("--val must be in 0.." + (available - 1) + ", got " + val);
        if (trainImages < 0) throw new IllegalArgumentException("--train-images must be >= 0, got " + trainImages);
        if (!(scaleTarget > 0 && scaleTarget <= 100)) throw new IllegalArgumentException("--scale-target must be in (0, 100], got " + scaleTarget);
        if (!(initRange > 0 && initRange <= 1)) throw new IllegalArgumentException("--init-range must be in (0, 1], got " + initRange);
        if (shift < 0 || shift > 4) throw new IllegalArgumentException("--shift must be in 0..4, got " + shift);
        if (analog && Integer.bitCount(levels + 1) != 1)
            throw new IllegalArgumentException("--activation smtj-sigmoid needs --levels L with L + 1 a power of two (e.g. 127), got " + levels);
        if (analog && scTrain) throw new IllegalArgumentException("--sc-train is not supported with --activation smtj-sigmoid");
        if (!(variation >= 0 && variation <= 10)) throw new IllegalArgumentException("--variation must be in 0..10 sigmoid widths, got " + variation);
        if (!(stuckRate >= 0 && stuckRate <= 0.5)) throw new IllegalArgumentException("--stuck-rate must be in 0..0.5, got " + stuckRate);
        if (analog && (variation > 0 || stuckRate > 0))
            throw new IllegalArgumentException("--variation is not supported with --activation smtj-sigmoid");
        if (encoding == null) throw new IllegalArgumentException("--encoding must be sign-magnitude or bipolar");
    }

    @Override
    public String toString() {
        return "TrainConfig[hidden=" + Arrays.toString(hidden) + ", levels=" + levels + ", scTrain=" + scTrain + ", bits=" + bits
                + ", encoding=" + encoding + ", epochs=" + epochs + ", batch=" + batch + ", lr=" + lr + ", seed=" + seed
                + ", threads=" + threads + ", val=" + val + ", trainImages=" + trainImages + ", scaleTarget=" + scaleTarget
                + ", initRange=" + initRange + ", shift=" + shift + ", analog=" + analog + ", variation=" + variation
                + ", stuckRate=" + stuckRate + "]";
    }
}
