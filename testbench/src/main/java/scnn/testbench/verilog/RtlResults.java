package scnn.testbench.verilog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.ScnnException;

/**
 * What the testbench wrote: one {@link Image} per inference and the event totals (null when the
 * monitors were off).
 *
 * @param images      per-image results, in order
 * @param smtjFlips   s-MTJ state flips over all images, or null
 * @param accToggles  accumulator flip-flop toggles over all images, or null
 * @param smtjSamples s-MTJ samples (the cells' sample-enables) over all images, or null
 * @param dacConversions DAC conversions over all images, or null
 */
public record RtlResults(List<Image> images, Long smtjFlips, Long accToggles, Long smtjSamples, Long dacConversions) {
    public RtlResults(List<Image> images, Long smtjFlips, Long accToggles) {
        this(images, smtjFlips, accToggles, null, null);
    }

    /**
     * One inference.
     *
     * @param index  image index (= the inference counter k)
     * @param cls    {@code class_out}
     * @param cycles rising edges after the start edge up to the one that raised {@code done}
     * @param scores the {@code score} port for every class
     */
    public record Image(int index, int cls, int cycles, long[] scores) {}

    /** Parses a results file written by {@code tb.v}; any malformed or error line is an error. */
    public static RtlResults parse(Path file, int classes) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ScnnException(file + ": the testbench wrote no results (" + e.getMessage() + ")");
        }
        List<Image> images = new ArrayList<>();
        Long flips = null, toggles = null, samples = null, dacs = null;
        boolean end = false;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty()) continue;
            String where = file + ":" + (ln + 1) + ": ";
            String[] t = line.split("\\s+");
            if (end) throw new ScnnException(where + "text after the events line: " + line);
            try {
                switch (t[0]) {
                    case "timeout" -> throw new ScnnException(where + "done did not rise for image " + t[1] + " within " + t[2] + " cycles");
                    case "error" -> throw new ScnnException(where + "testbench error: " + line.substring(6));
                    case "events" -> {
                        end = true;
                        if (t.length == 2 && t[1].equals("off")) continue;
                        if (t.length != 5 && t.length != 9 || !t[1].equals("smtj_flips") || !t[3].equals("acc_toggles")
                                || t.length == 9 && (!t[5].equals("smtj_samples") || !t[7].equals("dac_conversions")))
                            throw new ScnnException(where + "malformed events line: " + line);
                        flips = Long.parseLong(t[2]);
                        toggles = Long.parseLong(t[4]);
                        if (t.length == 9) {
                            samples = Long.parseLong(t[6]);
                            dacs = Long.parseLong(t[8]);
                        }
                    }
                    default -> {
                        if (t.length != 3 + classes)
                            throw new ScnnException(where + "expected " + (3 + classes) + " fields (image class cycles and " + classes
                                    + " scores), got " + t.length + ": " + line);
                        long[] sc = new long[classes];
                        for (int c = 0; c < classes; c++) sc[c] = Long.parseLong(t[3 + c]);
                        int idx = Integer.parseInt(t[0]);
                        if (idx != images.size()) throw new ScnnException(where + "expected image " + images.size() + ", got " + idx);
                        images.add(new Image(idx, Integer.parseInt(t[1]), Integer.parseInt(t[2]), sc));
                    }
                }
            } catch (NumberFormatException e) {
                throw new ScnnException(where + "not a number (an X or Z in the simulation?): " + line);
            }
        }
        if (!end) throw new ScnnException(file + ": incomplete (no events line): the simulation stopped early");
        return new RtlResults(List.copyOf(images), flips, toggles, samples, dacs);
    }

    /** Writes results in the testbench's format (used for the Java side, so that the two files diff). */
    public static String format(List<Image> images, Long smtjFlips, Long accToggles) {
        return format(images, smtjFlips, accToggles, null, null);
    }

    /** As {@link #format(List, Long, Long)}, with the sample and DAC counts (both or neither). */
    public static String format(List<Image> images, Long smtjFlips, Long accToggles, Long smtjSamples, Long dacConversions) {
        StringBuilder sb = new StringBuilder();
        for (Image im : images) {
            sb.append(im.index()).append(' ').append(im.cls()).append(' ').append(im.cycles());
            for (long s : im.scores()) sb.append(' ').append(s);
            sb.append('\n');
        }
        if (smtjFlips == null) sb.append("events off\n");
        else {
            sb.append("events smtj_flips ").append(smtjFlips).append(" acc_toggles ").append(accToggles);
            if (smtjSamples != null) sb.append(" smtj_samples ").append(smtjSamples).append(" dac_conversions ").append(dacConversions);
            sb.append('\n');
        }
        return sb.toString();
    }
}
