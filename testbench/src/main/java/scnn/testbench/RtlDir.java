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
 * @param verilog         the module's Verilog file
 * @param memDirParameter the memory-directory parameter of the module, or null
 */
public record RtlDir(Path dir, String top, Path verilog, String memDirParameter) {

    /** Reads the manifest of {@code dir}; the module must be {@code expectedTop} (null: any). */
    public static RtlDir read(Path dir, String expectedTop) {
        Path abs = dir.toAbsolutePath().normalize();
        Path mf = abs.resolve(RtlWriter.MANIFEST);
        JsonNode m;
        try {
            m = new ObjectMapper().readTree(Files.readAllBytes(mf));
        } catch (IOException e) {
            throw new ScnnException(mf + ": cannot read the RTL manifest (" + e.getMessage() + "); generate the RTL first");
        }
        String top = m.path("top").asText(null);
        JsonNode files = m.path("files");
        if (top == null || !files.isArray() || files.size() != 1)
            throw new ScnnException(mf + ": not an scnn RTL manifest (needs top and one Verilog file)");
        if (expectedTop != null && !expectedTop.equals(top))
            throw new ScnnException(mf + ": holds module " + top + ", expected " + expectedTop);
        Path v = abs.resolve(files.get(0).asText());
        if (!Files.isRegularFile(v)) throw new ScnnException(v + ": missing (listed in " + mf + ")");
        JsonNode md = m.path("mem_dir_parameter");
        return new RtlDir(abs, top, v, md.isTextual() ? md.asText() : null);
    }
}
