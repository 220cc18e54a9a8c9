package scnn.core.weights;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scnn.core.io.AtomicFiles;
import scnn.core.io.OutputPolicy;
import scnn.core.io.ScnnException;

/**
 * Strict reader and writer of {@code scnn-weights/1} files. Every problem is reported as one
 * {@link ScnnException} line of the form {@code <file>: <problem>}.
 */
public final class WeightsIO {
    // Floats are read as doubles (what the format stores): BigDecimal reading turned -0.0 into 0.0
    // and provenance numbers into DecimalNodes that compared and printed differently (100.0 -> 1E+2).
    // An overflowing literal such as 1e999 becomes an infinite double, which number() rejects.
    private static final ObjectMapper MAPPER = new ObjectMapper(scnn.core.io.InputFiles.jsonFactory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private WeightsIO() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static Network read(Path file) {
        byte[] bytes = scnn.core.io.InputFiles.readBytes(file);
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            boolean truncated = msg != null && msg.contains("end-of-input");
            throw new ScnnException(file + ": not valid JSON" + (truncated ? " (the file is truncated)" : "")
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : "") + ": " + firstLine(msg));
        } catch (IOException e) {
            throw new ScnnException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode()) throw new ScnnException(file + ": empty file, expected a JSON object");
        try {
            return parse(root);
        } catch (Problem p) {
            throw new ScnnException(file + ": " + p.getMessage());
        }
    }

    /** Parses and validates a JSON tree; the message of the exception names the field. */
    public static Network parse(JsonNode root) {
        if (!root.isObject()) throw new Problem("expected a JSON object at the top level");
        String format = text(root, "format");
        if (!Network.FORMAT.equals(format) && !Network.FORMAT_2.equals(format))
            throw new Problem("unknown format version " + quote(format) + " (expected \"" + Network.FORMAT + "\" or \"" + Network.FORMAT_2 + "\")");
        boolean v2 = Network.FORMAT_2.equals(format);
        String name = text(root, "name");
        if (name.isBlank()) throw new Problem("\"name\" is empty");
        int levels = integer(root, "levels");
        if (levels < 3 || levels % 2 == 0 || levels > 127)
            throw new Problem("\"levels\" must be odd and in 3..127, got " + levels);
        JsonNode lv = array(root, "level_values");
        if (lv.size() != levels) throw new Problem("\"level_values\" has " + lv.size() + " values, expected levels = " + levels);
        double[] values = new double[levels];
        for (int c = 0; c < levels; c++) {
            values[c] = number(lv.get(c), "level_values[" + c + "]");
            if (values[c] < -1 || values[c] > 1) throw new Problem("level_values[" + c + "] = " + values[c] + " is outside [-1, 1]");
            if (c > 0 && values[c] <= values[c - 1]) throw new Problem("level_values must rise strictly (level_values[" + c + "])");
        }
        for (int c = 0; c < levels; c++)
            if (values[c] != -values[levels - 1 - c])
                throw new Problem("level_values must be symmetric around 0 (level_values[" + c + "] != -level_values[" + (levels - 1 - c) + "])");
        JsonNode input = field(root, "input");
        if (!input.isObject()) throw new Problem("\"input\" must be an object");
        int inputSize = integer(input, "size", "input.size");
        if (inputSize < 1) throw new Problem("input.size must be positive");
        double pixelScale = number(field(input, "pixel_scale", "input.pixel_scale"), "input.pixel_scale");
        if (!(pixelScale >= 255)) throw new Problem("input.pixel_scale must be >= 255 so that inputs stay in [0, 1], got " + pixelScale);
        JsonNode ls = array(root, "layers");
        if (ls.isEmpty()) throw new Problem("\"layers\" is empty");
        List<Layer> layers = new ArrayList<>();
        int prev = inputSize;
        for (int k = 0; k < ls.size(); k++) {
            String where = "layers[" + k + "]";
            JsonNode l = ls.get(k);
            if (!l.isObject()) throw new Problem(where + " must be an object");
            int in = integer(l, "inputs", where + ".inputs");
            int out = integer(l, "outputs", where + ".outputs");
            if (in != prev) throw new Problem(where + ".inputs = " + in + " does not match the " + prev + " outputs of the layer before");
            if (out < 1) throw new Problem(where + ".outputs must be positive");
            String act = text(l, "activation", where + ".activation");
            Activation a = Activation.fromJson(act);
            if (a == null) throw new Problem(where + ".activation " + quote(act) + " is unknown (quantize, smtj-sigmoid or argmax)");
            boolean last = k == ls.size() - 1;
            if (last && a != Activation.ARGMAX) throw new Problem(where + ": the last layer must have activation argmax");
            if (!last && !a.hidden()) throw new Problem(where + ": hidden layers must have activation quantize or smtj-sigmoid");
            if (!last && k > 0 && a != layers.get(0).activation())
                throw new Problem(where + ": hidden layers must all have the same activation (layers[0] has " + layers.get(0).activation().json() + ", this one " + a.json() + ")");
            double scale = l.has("scale") ? number(l.get("scale"), where + ".scale") : 1.0;
            if (!(scale > 0)) throw new Problem(where + ".scale must be positive, got " + scale);
            double[] scales = null;
            if (l.has("scales")) {
                if (!v2) throw new Problem(where + ".scales needs \"format\": \"" + Network.FORMAT_2 + "\"");
                if (l.has("scale")) throw new Problem(where + ": give either \"scale\" or \"scales\", not both");
                if (last) throw new Problem(where + ".scales: per-neuron scales are for hidden layers (the output layer's scores are z + bias)");
                JsonNode sc = l.get("scales");
                if (!sc.isArray() || sc.size() != out) throw new Problem(where + ".scales must be an array of " + out + " numbers");
                scales = new double[out];
                for (int o = 0; o < out; o++) {
                    scales[o] = number(sc.get(o), where + ".scales[" + o + "]");
                    if (!(scales[o] > 0)) throw new Problem(where + ".scales[" + o + "] must be positive, got " + scales[o]);
                }
            }
            double[] grid = null;
            if (l.has("activation_values")) {
                if (!v2) throw new Problem(where + ".activation_values needs \"format\": \"" + Network.FORMAT_2 + "\"");
                if (a != Activation.QUANTIZE) throw new Problem(where + ".activation_values is only for \"activation\": \"quantize\" layers");
                grid = grid(array(l, "activation_values", where + ".activation_values"), where + ".activation_values");
            }
            double[] bias = null;
            if (l.has("bias") && !l.get("bias").isNull()) {
                JsonNode b = l.get("bias");
                if (!b.isArray() || b.size() != out) throw new Problem(where + ".bias must be an array of " + out + " numbers");
                bias = new double[out];
                for (int o = 0; o < out; o++) bias[o] = number(b.get(o), where + ".bias[" + o + "]");
            }
            JsonNode w = array(l, "weights", where + ".weights");
            if (w.size() != out) throw new Problem(where + ".weights has " + w.size() + " rows, expected outputs = " + out);
            // Check the shape of every row before allocating: the sizes come from the file.
            for (int o = 0; o < out; o++) {
                JsonNode row = w.get(o);
                String rw = where + ".weights[" + o + "]";
                if (!row.isArray()) throw new Problem(rw + " must be an array");
                if (row.size() != in) throw new Problem(rw + " has " + row.size() + " codes, expected inputs = " + in);
            }
            byte[] codes = new byte[in * out];
            for (int o = 0; o < out; o++) {
                JsonNode row = w.get(o);
                String rw = where + ".weights[" + o + "]";
                for (int i = 0; i < in; i++) {
                    JsonNode c = row.get(i);
                    if (!c.isIntegralNumber()) throw new Problem(rw + "[" + i + "] = " + c + " is not an integer level code");
                    // canConvertToInt: a huge integer must not wrap around onto the grid (asLong keeps the low bits)
                    if (!c.canConvertToInt() || c.intValue() < 0 || c.intValue() >= levels)
                        throw new Problem(rw + "[" + i + "] = " + c + " is off the quantization grid (codes are 0.." + (levels - 1) + ")");
                    codes[o * in + i] = (byte) c.intValue();
                }
            }
            layers.add(new Layer(in, out, codes, scale, scales, bias, a, grid));
            prev = out;
        }
        if (v2 && Network.FORMAT.equals(new Network(name, levels, values, inputSize, pixelScale, layers, null).format()))
            throw new Problem("\"format\" is \"" + Network.FORMAT_2 + "\" but no layer has \"scales\" or \"activation_values\" (write \"" + Network.FORMAT + "\")");
        ObjectNode prov = null;
        if (root.has("provenance")) {
            if (!root.get("provenance").isObject()) throw new Problem("\"provenance\" must be an object");
            prov = (ObjectNode) root.get("provenance");
        }
        return new Network(name, levels, values, inputSize, pixelScale, layers, prov);
    }

    /**
     * A hidden layer's output grid: 2..128 values rising strictly in [-1, 1], either symmetric
     * around 0 (odd count, {@code v[c] = -v[n-1-c]}) or unsigned (starting at exactly 0).
     */
    private static double[] grid(JsonNode g, String where) {
        int n = g.size();
        if (n < 2 || n > 128) throw new Problem(where + " must have 2..128 values, got " + n);
        double[] v = new double[n];
        for (int c = 0; c < n; c++) {
            v[c] = number(g.get(c), where + "[" + c + "]");
            if (v[c] < -1 || v[c] > 1) throw new Problem(where + "[" + c + "] = " + v[c] + " is outside [-1, 1]");
            if (c > 0 && v[c] <= v[c - 1]) throw new Problem(where + " must rise strictly (" + where + "[" + c + "])");
        }
        if (v[0] == 0.0) return v; // unsigned
        boolean sym = n % 2 == 1;
        for (int c = 0; sym && c < n; c++) sym = v[c] == -v[n - 1 - c];
        if (!sym) throw new Problem(where + " must be unsigned (start at 0) or symmetric around 0 with an odd count");
        return v;
    }

    /** The JSON tree of a network, in the documented field order. */
    public static ObjectNode toJson(Network n) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", n.format());
        root.put("name", n.name());
        root.put("levels", n.levels());
        var lv = root.putArray("level_values");
        for (double v : n.levelValues()) lv.add(v);
        ObjectNode input = root.putObject("input");
        input.put("size", n.inputSize());
        input.put("pixel_scale", n.pixelScale());
        var ls = root.putArray("layers");
        for (Layer l : n.layers()) {
            ObjectNode o = ls.addObject();
            o.put("inputs", l.inputs());
            o.put("outputs", l.outputs());
            o.put("activation", l.activation().json());
            double[] sc = l.scalesOrNull();
            if (sc == null) {
                o.put("scale", l.scale());
            } else {
                var sa = o.putArray("scales");
                for (double v : sc) sa.add(v);
            }
            double[] g = l.activationValuesOrNull();
            if (g != null) {
                var ga = o.putArray("activation_values");
                for (double v : g) ga.add(v);
            }
            double[] b = l.biasOrNull();
            if (b != null) {
                var ba = o.putArray("bias");
                for (double v : b) ba.add(v);
            }
            var wa = o.putArray("weights");
            for (int r = 0; r < l.outputs(); r++) {
                var row = wa.addArray();
                for (int i = 0; i < l.inputs(); i++) row.add(l.code(r, i));
            }
        }
        root.set("provenance", n.provenance());
        return root;
    }

    /** Serialises with objects indented and each number array (a weight row) on one line. */
    public static String toJsonString(Network n) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        pp.indentArraysWith(new RowIndenter());
        try {
            return MAPPER.writer(pp).writeValueAsString(toJson(n)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically (temporary file + rename): on failure nothing is left behind. */
    public static void write(Network n, Path file) {
        write(n, file, OutputPolicy.Replace.OWN);
    }

    /** The mark of a weights file that scnn wrote (its format line), for {@link OutputPolicy}. */
    public static final OutputPolicy.Mark MARK = OutputPolicy.Mark.containing("\"" + Network.FORMAT.substring(0, Network.FORMAT.indexOf('/') + 1));

    /**
     * Writes {@code n} to {@code file} atomically; an existing file is replaced only when it is a
     * weights file ({@link #MARK}) or with {@code FORCE}.
     */
    public static void write(Network n, Path file, OutputPolicy.Replace replace) {
        String s = toJsonString(n);
        AtomicFiles.write(file, replace, MARK, (OutputStream out) -> out.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Breaks lines only between the rows of a two-dimensional array. */
    private static final class RowIndenter implements DefaultPrettyPrinter.Indenter {
        @Override
        public void writeIndentation(JsonGenerator g, int level) throws IOException {
            var ctx = g.getOutputContext();
            // Break before each element of an array whose elements are arrays (the weight rows).
            if (ctx.inArray() && ctx.getParent() != null && ctx.getParent().inObject()
                    && "weights".equals(ctx.getParent().getCurrentName())) {
                g.writeRaw('\n');
                for (int i = 0; i < level; i++) g.writeRaw("  ");
            }
        }

        @Override
        public boolean isInline() {
            return false;
        }
    }

    // ---- strict field access -------------------------------------------------------------

    private static final class Problem extends RuntimeException {
        Problem(String m) {
            super(m, null, false, false);
        }
    }

    private static JsonNode field(JsonNode o, String name) {
        return field(o, name, name);
    }

    private static JsonNode field(JsonNode o, String name, String where) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) throw new Problem("missing field \"" + where + "\"");
        return n;
    }

    private static String text(JsonNode o, String name) {
        return text(o, name, name);
    }

    private static String text(JsonNode o, String name, String where) {
        JsonNode n = field(o, name, where);
        if (!n.isTextual()) throw new Problem("\"" + where + "\" must be a string");
        return n.asText();
    }

    private static int integer(JsonNode o, String name) {
        return integer(o, name, name);
    }

    private static int integer(JsonNode o, String name, String where) {
        JsonNode n = field(o, name, where);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new Problem("\"" + where + "\" must be an integer, got " + n);
        return n.asInt();
    }

    private static JsonNode array(JsonNode o, String name) {
        return array(o, name, name);
    }

    private static JsonNode array(JsonNode o, String name, String where) {
        JsonNode n = field(o, name, where);
        if (!n.isArray()) throw new Problem("\"" + where + "\" must be an array");
        return n;
    }

    private static double number(JsonNode n, String where) {
        if (n == null || n.isNull()) throw new Problem("missing value " + where);
        if (n.isTextual() && n.asText().equalsIgnoreCase("nan")) throw new Problem(where + " is NaN");
        if (!n.isNumber()) throw new Problem(where + " must be a number, got " + n);
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new Problem(where + " is not a finite number");
        return d;
    }

    /** A user-given string as a JSON string literal: quoted and escaped, so the message stays one line. */
    private static String quote(String s) {
        return TextNode.valueOf(s).toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
