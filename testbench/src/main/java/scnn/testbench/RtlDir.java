package scnn.testbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import scnn.core.io.ScnnException;
import scnn.generator.verilog.RtlWriter;

/**
 * A directory written by {@link RtlWriter}, as its {@code manifest.json} describes it.
 *
 * @param dir             the directory (absolute)
 * @param top             the module name
 * @param verilog         the Verilog files of the top and its sub-modules, sub-modules first
 * @param memDirParameter the memory-directory parameter of the module, or null
 */
public record RtlDir(Path dir, String top, java.util.List<Path> verilog, String memDirParameter) {
    /** A directory with one Verilog file. */
    public RtlDir(Path dir, String top, Path verilog, String memDirParameter) {
        this(dir, top, java.util.List.of(verilog), memDirParameter);
    }

    /** The parsed manifest of the RTL directory {@code dir} (absolute), or one line saying why not. */
    public static JsonNode manifest(Path dir) {
        Path mf = dir.resolve(RtlWriter.MANIFEST);
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(mf));
        } catch (IOException e) {
            throw new ScnnException(mf + ": cannot read the RTL manifest (" + e.getMessage() + "); generate the RTL first");
        }
    }

    /** Reads the manifest of {@code dir}; the module must be {@code expectedTop} (null: any). */
    public static RtlDir read(Path dir, String expectedTop) {
        Path abs = dir.toAbsolutePath().normalize();
        Path mf = abs.resolve(RtlWriter.MANIFEST);
        JsonNode m = manifest(abs);
        String top = m.path("top").asText(null);
        JsonNode files = m.path("files");
        if (top == null || !files.isArray() || files.size() < 1)
            throw new ScnnException(mf + ": not an scnn RTL manifest (needs top and its Verilog files)");
        if (expectedTop != null && !expectedTop.equals(top))
            throw new ScnnException(mf + ": holds module " + top + ", expected " + expectedTop);
        java.util.List<Path> vs = new java.util.ArrayList<>();
        for (JsonNode f : files) {
            String name = f.asText();
            Path v = abs.resolve(name).normalize();
            if (!v.getParent().equals(abs)) throw new ScnnException(mf + ": file " + name + " is not in the RTL directory");
            if (!Files.isRegularFile(v)) throw new ScnnException(v + ": missing (listed in " + mf + ")");
            vs.add(v);
        }
        JsonNode md = m.path("mem_dir_parameter");
        return new RtlDir(abs, top, java.util.List.copyOf(vs), md.isTextual() ? md.asText() : null);
    }
}
