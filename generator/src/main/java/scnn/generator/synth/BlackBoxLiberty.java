package scnn.generator.synth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import scnn.core.io.AtomicFiles;
import scnn.core.io.ScnnException;

/**
 * A Liberty library of the design's black boxes (e.g. s-MTJ cells written with
 * {@code --smtj-cell blackbox}) so that OpenSTA can link the mapped netlist: each black box is a
 * cell of area 0 and no leakage; with a clock input ({@code clk}) its outputs change at the rising
 * edge and its inputs are sampled there (zero delay and setup: the device's own timing is not
 * known), so paths through it are timed register to register; without one its outputs are
 * unconstrained. Its power is not in the library figures (the event model prices the device).
 */
public final class BlackBoxLiberty {
    private BlackBoxLiberty() {}

    /** Port directions and widths of every black-box module in a Yosys JSON netlist. */
    public static Map<String, Map<String, int[]>> read(Path json) {
        Map<String, Map<String, int[]>> out = new LinkedHashMap<>();
        ObjectMapper m = new ObjectMapper();
        try (JsonParser p = new JsonFactory(m).createParser(json.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return out;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (!f.equals("modules")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String mod = p.currentName();
                    p.nextToken();
                    // black boxes are small; a real module may be huge: look at its attributes first
                    JsonNode attrs = null;
                    Map<String, int[]> ports = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        if (k.equals("attributes")) attrs = p.readValueAsTree();
                        else if (k.equals("ports") && attrs != null && isBlackBox(attrs)) {
                            JsonNode pt = p.readValueAsTree();
                            for (Iterator<Map.Entry<String, JsonNode>> it = pt.fields(); it.hasNext(); ) {
                                Map.Entry<String, JsonNode> e = it.next();
                                int dir = switch (e.getValue().path("direction").asText()) {
                                    case "input" -> 0;
                                    case "output" -> 1;
                                    default -> 2;
                                };
                                ports.put(e.getKey(), new int[] {dir, e.getValue().path("bits").size()});
                            }
                        } else p.skipChildren();
                    }
                    if (attrs != null && isBlackBox(attrs)) out.put(mod, ports);
                }
            }
        } catch (IOException e) {
            throw new ScnnException(json + ": cannot read the mapped netlist (" + e.getMessage() + ")");
        }
        return out;
    }

    private static boolean isBlackBox(JsonNode attrs) {
        JsonNode b = attrs.path("blackbox");
        return !b.isMissingNode() && (b.asText().replace("0", "").length() > 0 || b.asInt() == 1);
    }

    /** Writes the library; false when there are no black boxes. */
    public static boolean write(Map<String, Map<String, int[]>> boxes, Path file) {
        if (boxes.isEmpty()) return false;
        StringBuilder sb = new StringBuilder();
        sb.append("library(scnn_blackboxes) {\n  delay_model : table_lookup;\n  time_unit : \"1ns\";\n  voltage_unit : \"1V\";\n")
                .append("  current_unit : \"1uA\";\n  leakage_power_unit : \"1nW\";\n  capacitive_load_unit (1,pf);\n")
                .append("  nom_voltage : 1.8;\n  nom_temperature : 25;\n  nom_process : 1;\n")
                .append("  slew_upper_threshold_pct_rise : 80;\n  slew_lower_threshold_pct_rise : 20;\n")
                .append("  slew_upper_threshold_pct_fall : 80;\n  slew_lower_threshold_pct_fall : 20;\n")
                .append("  input_threshold_pct_rise : 50;\n  input_threshold_pct_fall : 50;\n")
                .append("  output_threshold_pct_rise : 50;\n  output_threshold_pct_fall : 50;\n");
        TreeSet<Integer> widths = new TreeSet<>();
        for (Map<String, int[]> ports : boxes.values()) for (int[] d : ports.values()) if (d[1] > 1) widths.add(d[1]);
        for (int w : widths)
            sb.append(String.format(Locale.ROOT, "  type (bus%d) { base_type : array; data_type : bit; bit_width : %d; bit_from : %d; bit_to : 0; downto : true; }%n",
                    w, w, w - 1));
        for (Map.Entry<String, Map<String, int[]>> c : boxes.entrySet()) {
            Map<String, int[]> ports = c.getValue();
            String clk = ports.containsKey("clk") && ports.get("clk")[0] == 0 && ports.get("clk")[1] == 1 ? "clk" : null;
            sb.append("  cell (").append(c.getKey()).append(") {\n    area : 0;\n    cell_leakage_power : 0;\n");
            for (Map.Entry<String, int[]> p : ports.entrySet()) {
                String dir = p.getValue()[0] == 0 ? "input" : p.getValue()[0] == 1 ? "output" : "inout";
                boolean bus = p.getValue()[1] > 1;
                sb.append("    ").append(bus ? "bus" : "pin").append(" (").append(p.getKey()).append(") {\n");
                if (bus) sb.append("      bus_type : bus").append(p.getValue()[1]).append(";\n");
                sb.append("      direction : ").append(dir).append(";\n");
                if (dir.equals("input")) sb.append("      capacitance : 0.01;\n");
                if (p.getKey().equals(clk)) sb.append("      clock : true;\n");
                else if (clk != null && dir.equals("output"))
                    sb.append("      timing () { related_pin : \"clk\"; timing_type : rising_edge;\n")
                            .append("        cell_rise (scalar) { values (\"0.0\"); } cell_fall (scalar) { values (\"0.0\"); }\n")
                            .append("        rise_transition (scalar) { values (\"0.1\"); } fall_transition (scalar) { values (\"0.1\"); } }\n");
                else if (clk != null && dir.equals("input"))
                    sb.append("      timing () { related_pin : \"clk\"; timing_type : setup_rising;\n")
                            .append("        rise_constraint (scalar) { values (\"0.0\"); } fall_constraint (scalar) { values (\"0.0\"); } }\n");
                sb.append("    }\n");
            }
            sb.append("  }\n");
        }
        sb.append("}\n");
        AtomicFiles.writeString(file, sb.toString());
        return true;
    }
}
