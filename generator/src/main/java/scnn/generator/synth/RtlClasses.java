package scnn.generator.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scnn.generator.verilog.VerilogEmitter;

/**
 * The hardware class (the energy model's tag: smtj, stream, multiplier, accumulator, requantizer,
 * control, memory, io) of the nets of generated RTL, read from the emitter's declaration comments
 * ({@code reg [W-1:0] name ...; // op, tag, ...}, also with {@code wire} or the keyword macro {@code `SCNN_COMB}; {@code name_q} / {@code name_d}, the state and
 * next state of a register array, take the class of {@code name}). Ports are {@code io}.
 */
public final class RtlClasses {
    /** A declaration's keyword: reg, wire, or the emitter's keyword macro (reg or wire by simulator). */
    private static final String KIND = "(?:reg|wire|" + Pattern.quote("`" + VerilogEmitter.COMB_MACRO) + ")";
    private static final Pattern DECL = Pattern.compile(
            "^\\s*(?:\\(\\*[^*]*\\*\\)\\s*)?" + KIND + "\\s*(?:\\[[^\\]]*\\]\\s*)?([A-Za-z_][A-Za-z0-9_$]*)[^;]*;\\s*//\\s*([a-z_]+),\\s*([a-z]+)");
    private static final Pattern STATE = Pattern.compile(
            "^\\s*" + KIND + "\\s*(?:\\[[^\\]]*\\]\\s*)?([A-Za-z_][A-Za-z0-9_$]*)\\s*;\\s*//\\s*(?:next )?state of ([A-Za-z_][A-Za-z0-9_$]*)");
    private static final Pattern PORT = Pattern.compile("^\\s*(?:input|output)\\s+wire\\s*(?:\\[[^\\]]*\\]\\s*)?([A-Za-z_][A-Za-z0-9_$]*)\\s*,?\\s*$");

    private final Map<String, String> byName;

    private RtlClasses(Map<String, String> byName) {
        this.byName = byName;
    }

    /** Reads the declarations of every file (relative to {@code dir}). */
    public static RtlClasses read(Path dir, List<String> files) {
        Map<String, String> m = new HashMap<>();
        Map<String, String> alias = new HashMap<>();
        for (String f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(dir.resolve(f));
            } catch (IOException e) {
                continue;
            }
            for (String l : lines) {
                Matcher s = STATE.matcher(l);
                if (s.find()) {
                    alias.put(s.group(1), s.group(2));
                    continue;
                }
                Matcher d = DECL.matcher(l);
                if (d.find()) {
                    m.putIfAbsent(d.group(1), d.group(3));
                    continue;
                }
                Matcher p = PORT.matcher(l);
                if (p.find()) m.put(p.group(1), "io");
            }
        }
        for (Map.Entry<String, String> e : alias.entrySet()) {
            String t = m.get(e.getValue());
            if (t != null) m.putIfAbsent(e.getKey(), t);
        }
        return new RtlClasses(m);
    }

    /**
     * The class of a netlist name ({@code net}, {@code net[i]}, hierarchical {@code inst.net[i]},
     * memory words {@code mem[j][i]}), or null when the RTL does not declare it.
     */
    public String classOf(String netName) {
        String n = netName;
        int dot = n.lastIndexOf('.');
        if (dot >= 0) n = n.substring(dot + 1);
        int br = n.indexOf('[');
        if (br >= 0) n = n.substring(0, br);
        n = n.strip();
        return byName.get(n);
    }

    public int size() {
        return byName.size();
    }
}
