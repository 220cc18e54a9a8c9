package scnn.generator.verilog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scnn.core.io.AtomicFiles;
import scnn.core.io.OutputPolicy;
import scnn.ir.Design;
import scnn.ir.Node;
import scnn.ir.Tag;

/**
 * Writes a design's RTL into a directory, atomically (built in a temporary sibling, then renamed
 * into place, replacing an older directory of that name only when complete):
 * <ul>
 *   <li>{@code <top>.v}: the top module, and {@code <module>.v} for every module it instantiates
 *       ({@link VerilogEmitter#emitAll}), each module once;
 *   <li>{@code <rom>.hex}: memory-init files read by {@code $readmemh};
 *   <li>{@code files.f}: the Verilog sources, one per line, sub-modules first, relative to the directory (for
 *       {@code verilator -f}, {@code iverilog -c}); run the tools in this directory, or pass the
 *       directory with a trailing slash in the {@code MEM_DIR} parameter;
 *   <li>{@code manifest.json}: what the directory holds (see {@link #manifest}).
 * </ul>
 */
public final class RtlWriter {
    public static final String FILE_LIST = "files.f";
    public static final String MANIFEST = "manifest.json";

    /** Keys that {@link #manifest} sets itself; an extra map may not use them. */
    public static final List<String> MANIFEST_KEYS = List.of(OutputPolicy.GENERATOR_KEY, "top", "files", "memory_files", "mem_dir_parameter",
            "parameters", "ports", "node_count", "bits_by_tag", "state_bits_by_tag", "bit_planes", "modules", "blackbox_modules",
            "further_tops");

    private static final ObjectWriter JSON;

    static {
        ObjectMapper m = new ObjectMapper()
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        JSON = m.writer(pp);
    }

    private RtlWriter() {}

    /**
     * Emits {@code design} and writes it into {@code dir} (created or replaced atomically).
     *
     * @param extraManifest more top-level manifest entries (e.g. {@code cycles_per_inference},
     *     {@code seed}, {@code synapses}, {@code sources}); may be null; must not reuse
     *     {@link #MANIFEST_KEYS}
     * @return the files written, in the final directory: the Verilog, the memory files,
     *     {@code files.f}, {@code manifest.json}
     * @throws scnn.core.io.ScnnException when the directory cannot be written (nothing is left behind)
     */
    public static List<Path> write(Design design, Path dir, Map<String, Object> extraManifest) {
        return write(design, dir, extraManifest, OutputPolicy.Replace.OWN, java.util.Set.of());
    }

    /** {@link #write(Design, Path, Map, OutputPolicy.Replace, java.util.Set)} with every cell in its behavioural form. */
    public static List<Path> write(Design design, Path dir, Map<String, Object> extraManifest, OutputPolicy.Replace replace) {
        return write(design, dir, extraManifest, replace, java.util.Set.of());
    }

    /**
     * {@link #write(Design, Path, Map)}, with the replacement rule of {@link OutputPolicy} (an
     * existing {@code dir} is replaced only when it is scnn's own, its manifest saying
     * {@code "generator": "scnn"}, or empty, or with {@code FORCE}) and the modules of the cell
     * kinds {@code blackboxCells} ({@link Design#cellKind()}, e.g. {@code smtj}) written as empty
     * {@code (* blackbox *)} modules of the same ports, for a flow that puts a device macro there.
     */
    public static List<Path> write(Design design, Path dir, Map<String, Object> extraManifest, OutputPolicy.Replace replace,
                                   java.util.Set<String> blackboxCells) {
        return write(design, List.of(), dir, extraManifest, replace, blackboxCells);
    }

    /**
     * {@link #write(Design, Path, Map, OutputPolicy.Replace, java.util.Set)} with further top modules
     * in the same directory that share modules with {@code design} (e.g. the AXI4-Stream wrapper
     * {@code <top>_axis}): their modules are written once, {@code files.f} and the manifest's
     * {@code top}, {@code files} and {@code ports} stay {@code design}'s, and each further top T gets
     * its own file list {@code T.f} (every module it needs, sub-modules first) and an entry in the
     * manifest's {@code further_tops} (T: {@code files}, {@code file_list}, {@code memory_files}, {@code mem_dir_parameter},
     * {@code ports}).
     */
    public static List<Path> write(Design design, List<Design> furtherTops, Path dir, Map<String, Object> extraManifest,
                                   OutputPolicy.Replace replace, java.util.Set<String> blackboxCells) {
        OutputPolicy.checkDirectory(dir, replace);
        return write(render(design, furtherTops, extraManifest, blackboxCells), dir, replace);
    }

    /**
     * Writes files {@link #render rendered} before into {@code dir} (created or replaced atomically,
     * by the rule of {@link OutputPolicy}); returns their paths in the final directory.
     */
    public static List<Path> write(Map<String, String> files, Path dir, OutputPolicy.Replace replace) {
        OutputPolicy.checkDirectory(dir, replace);
        AtomicFiles.writeDirectory(dir, replace, tmp -> {
            for (Map.Entry<String, String> e : files.entrySet())
                Files.write(tmp.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
        });
        List<Path> paths = new ArrayList<>();
        for (String f : files.keySet()) paths.add(dir.resolve(f));
        return paths;
    }

    /**
     * SHA-256 of rendered RTL: of every file's name and content, in name order. Equal digests mean
     * byte-identical RTL directories (the synthesis sweep reuses a stored point only for its RTL).
     */
    public static String digest(Map<String, String> files) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(files).entrySet())
            sb.append(e.getKey()).append('\0').append(scnn.core.io.Sha256.ofString(e.getValue())).append('\n');
        return scnn.core.io.Sha256.ofString(sb.toString());
    }

    /**
     * The files {@link #write(Design, List, Path, Map, OutputPolicy.Replace, java.util.Set)} writes,
     * by name (Verilog, memory files, file lists, {@code manifest.json}), without writing them.
     */
    public static Map<String, String> render(Design design, List<Design> furtherTops, Map<String, Object> extraManifest,
                                             java.util.Set<String> blackboxCells) {
        List<List<VerilogEmitter.Output>> groups = VerilogEmitter.emitAll(design, furtherTops, blackboxCells);
        List<VerilogEmitter.Output> mods = groups.get(0);
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> mems = new TreeMap<>();
        StringBuilder list = new StringBuilder();
        for (List<VerilogEmitter.Output> g : groups)
            for (VerilogEmitter.Output o : g) {
                files.put(o.verilogFile(), o.verilog());
                if (g == mods) list.append(o.verilogFile()).append('\n');
                for (Map.Entry<String, String> e : o.memoryFiles().entrySet())
                    if (mems.put(e.getKey(), e.getValue()) != null || files.containsKey(e.getKey()))
                        throw new IllegalArgumentException("two modules write the memory file " + e.getKey());
            }
        Map<String, Object> further = new TreeMap<>();
        Map<String, String> lists = new LinkedHashMap<>();
        for (int t = 0; t < furtherTops.size(); t++) {
            Design ft = furtherTops.get(t);
            VerilogEmitter.Output fo = groups.get(t + 1).get(groups.get(t + 1).size() - 1);
            if (!fo.top().equals(ft.name())) throw new IllegalStateException(ft.name() + " is a module of an earlier top");
            List<String> fl = new ArrayList<>(), fm = new ArrayList<>();
            for (Design m : ft.modules()) {
                fl.add(m.name() + ".v");
                for (List<VerilogEmitter.Output> g : groups)
                    for (VerilogEmitter.Output o : g) if (o.top().equals(m.name())) fm.addAll(o.memoryFiles().keySet());
            }
            java.util.Collections.sort(fm);
            String listName = ft.name() + ".f";
            if (files.containsKey(listName) || listName.equals(FILE_LIST)) throw new IllegalArgumentException("file list " + listName + " clashes");
            lists.put(listName, String.join("\n", fl) + "\n");
            Map<String, Object> e = new TreeMap<>();
            e.put("files", fl);
            e.put("file_list", listName);
            e.put("memory_files", fm);
            e.put("mem_dir_parameter", fo.memDirParameter());
            e.put("ports", ports(fo));
            further.put(ft.name(), e);
        }
        files.putAll(mems);
        Map<String, Object> extra = new TreeMap<>();
        if (extraManifest != null) extra.putAll(extraManifest);
        if (!furtherTops.isEmpty()) {
            if (extra.containsKey("further_tops")) throw new IllegalArgumentException("manifest key further_tops is set by the RTL writer");
            extra.put("further_tops", further);
        }
        String manifest = toJson(manifest(design, mods, extra));
        files.put(FILE_LIST, list.toString());
        files.putAll(lists);
        files.put(MANIFEST, manifest);
        return files;
    }

    /**
     * The manifest as an ordered map (keys are sorted when written): {@code generator}
     * ({@code "scnn"}: the mark of scnn's own output directories), {@code top},
     * {@code files} (Verilog sources), {@code memory_files}, {@code mem_dir_parameter} (null when
     * there are no memory files), {@code parameters} (a copy of {@code design.params()}),
     * {@code ports} (name, direction, width; in port order, {@code clk} and {@code rst} first),
     * {@code node_count}, {@code bits_by_tag} (count x width summed over all nodes of each tag:
     * state and logic), {@code state_bits_by_tag} (the same over registers and RAMs only),
     * {@code bit_planes} (constant BITSEL codes stored as bit planes, see
     * {@link VerilogEmitter.BitPlanes}: constant, variable, file, code_bits, codes,
     * original_emitted), then the extra entries.
     */
    public static Map<String, Object> manifest(Design design, VerilogEmitter.Output out, Map<String, Object> extra) {
        return manifest(design, List.of(out), extra);
    }

    /**
     * The manifest of a hierarchy ({@code mods}: sub-modules first, the top last): as above, with
     * {@code files} listing every module's file, {@code memory_files} every module's memory
     * files, {@code modules} the module names and {@code blackbox_modules} those written as
     * black boxes; {@code node_count} and the bit counts are over the flattened design.
     */
    public static Map<String, Object> manifest(Design design, List<VerilogEmitter.Output> mods, Map<String, Object> extra) {
        VerilogEmitter.Output out = mods.get(mods.size() - 1);
        Map<String, Object> m = new TreeMap<>();
        m.put(OutputPolicy.GENERATOR_KEY, OutputPolicy.GENERATOR);
        m.put("top", out.top());
        List<String> files = new ArrayList<>(), mems = new ArrayList<>(), names = new ArrayList<>(), bb = new ArrayList<>();
        for (VerilogEmitter.Output o : mods) {
            files.add(o.verilogFile());
            mems.addAll(o.memoryFiles().keySet());
            names.add(o.top());
            if (o.blackbox()) bb.add(o.top());
        }
        java.util.Collections.sort(mems);
        m.put("files", files);
        m.put("memory_files", mems);
        m.put("modules", names);
        m.put("blackbox_modules", bb);
        m.put("mem_dir_parameter", out.memDirParameter());
        design = scnn.ir.Flatten.flatten(design).design();
        m.put("parameters", new TreeMap<>(design.params()));
        m.put("ports", ports(out));
        m.put("node_count", design.nodes().size());
        Map<String, Long> bits = new TreeMap<>();
        Map<String, Long> state = new TreeMap<>();
        for (Tag t : Tag.values()) {
            bits.put(t.key(), 0L);
            state.put(t.key(), 0L);
        }
        for (Node n : design.nodes()) {
            long b = (long) n.count() * n.width();
            bits.merge(n.tag().key(), b, Long::sum);
            if (n.isState()) state.merge(n.tag().key(), b, Long::sum);
        }
        m.put("bits_by_tag", bits);
        m.put("state_bits_by_tag", state);
        List<Map<String, Object>> planes = new ArrayList<>();
        for (VerilogEmitter.Output o : mods) for (VerilogEmitter.BitPlanes b : o.bitPlanes()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("constant", b.constant());
            pm.put("variable", b.variable());
            pm.put("file", b.file());
            pm.put("code_bits", b.codeBits());
            pm.put("codes", b.codes());
            pm.put("original_emitted", b.originalEmitted());
            planes.add(pm);
        }
        m.put("bit_planes", planes);
        if (extra != null)
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (m.containsKey(e.getKey()))
                    throw new IllegalArgumentException("manifest key " + e.getKey() + " is set by the RTL writer");
                m.put(e.getKey(), e.getValue());
            }
        return m;
    }

    private static List<Map<String, Object>> ports(VerilogEmitter.Output out) {
        List<Map<String, Object>> ports = new ArrayList<>();
        for (VerilogEmitter.Port p : out.ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("direction", p.direction());
            pm.put("width", p.width());
            ports.add(pm);
        }
        return ports;
    }

    static String toJson(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("manifest is not serializable: " + e.getOriginalMessage(), e);
        }
    }
}
