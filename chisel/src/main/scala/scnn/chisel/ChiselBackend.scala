package scnn.chisel

import circt.stage.ChiselStage
import scnn.ir.Design

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path}
import scala.jdk.CollectionConverters._

/**
 * Java-callable entry point of the Chisel backend: `scnn.chisel.ChiselBackend.emit(design, dir)`
 * (a static forwarder of this object).
 *
 * Writes into `dir` (created when missing):
 *  - `<top>.fir`: the CHIRRTL that Chisel elaborated from the IR;
 *  - `<top>.sv`: SystemVerilog from CIRCT firtool (the binary shipped in `org.chipsalliance:llvm-firtool`);
 *  - `files.f`: the SystemVerilog source list, relative to `dir`.
 */
object ChiselBackend {

  /**
   * firtool options: deterministic output (no randomized initial values), every IR-named signal kept
   * (`--preserve-values=named`), plain Verilog constructs that Yosys, Icarus and Verilator read.
   */
  val FirtoolOptions: Seq[String] = Seq(
    "-disable-all-randomization",
    "-strip-debug-info",
    "--preserve-values=named",
    "--lowering-options=disallowLocalVariables,disallowPackedArrays,locationInfoStyle=none"
  )

  /** What [[emit]] wrote. */
  final case class Result(top: String, firrtl: Path, verilog: Path, fileList: Path, elaborateSeconds: Double) {
    def files: java.util.List[Path] = java.util.List.of(firrtl, verilog, fileList)
  }

  /** Elaborates `design` and writes its FIRRTL and SystemVerilog into `outDir`. */
  def emit(design: Design, outDir: Path): Result = {
    design.validate()
    val dir = outDir.toAbsolutePath
    Files.createDirectories(dir)
    val top = design.name()
    val t0 = System.nanoTime()
    ChiselStage.emitSystemVerilogFile(
      new IrModule(design),
      Array("--target-dir", dir.toString, "--dump-fir"),
      FirtoolOptions.toArray
    )
    val secs = (System.nanoTime() - t0) / 1e9
    val fir = dir.resolve(top + ".fir")
    val sv = dir.resolve(top + ".sv")
    if (!Files.isRegularFile(sv)) throw new IllegalStateException(s"firtool wrote no $sv")
    val list = dir.resolve("files.f")
    Files.write(list, (top + ".sv\n").getBytes(StandardCharsets.UTF_8))
    Result(top, fir, sv, list, secs)
  }

  /** The SystemVerilog text of `design` (elaborated in memory). */
  def systemVerilog(design: Design): String =
    ChiselStage.emitSystemVerilog(new IrModule(design), Array.empty, FirtoolOptions.toArray)

  /** The CHIRRTL text of `design`. */
  def chirrtl(design: Design): String = ChiselStage.emitCHIRRTL(new IrModule(design))

  /** Names of the files in `dir` that [[emit]] writes, for a design named `top`. */
  def fileNames(top: String): java.util.List[String] = Seq(top + ".fir", top + ".sv", "files.f").asJava
}
