package scnn.chisel.examples

import chisel3._
import circt.stage.ChiselStage
import scnn.chisel.{ChiselBackend, ScnnBlackBox, ScnnIO, ScnnNetwork}
import scnn.core.weights.{Network, WeightsIO}
import scnn.core.model.Encoding
import scnn.generator.arch.{CoreInterface, ScBuilder, ScConfig, ScDesign, SmtjModel}

import java.nio.file.{Files, Path}

/**
 * Example: one SC network used from Chisel in both ways, side by side.
 *  - `nn`: [[ScnnNetwork]], the network elaborated in Chisel from the IR (module `<top>_chisel`);
 *  - `bb`: [[ScnnBlackBox]], the Verilog that the Java emitter wrote for the same IR (module `<top>`).
 * Both get the same inputs; `io` shows the Chisel one, `agree` is high while every output of the
 * two is equal (it must be high on every cycle).
 */
class ScnnSystem(chiselSc: ScDesign, rtlDir: Path) extends Module {
  val io = IO(ScnnIO(chiselSc.coreInterface()))
  val agree = IO(Output(Bool()))

  val nn = Module(new ScnnNetwork(chiselSc))
  nn.io.pix_we := io.pix_we
  nn.io.pix_addr := io.pix_addr
  nn.io.pix_data := io.pix_data
  nn.io.start := io.start
  nn.io.score_sel := io.score_sel
  io.busy := nn.io.busy
  io.done := nn.io.done
  io.class_out := nn.io.class_out
  io.score := nn.io.score

  val bb = Module(new ScnnBlackBox(rtlDir.toString))
  bb.port(CoreInterface.CLK) := clock
  bb.port(CoreInterface.RST) := reset.asBool
  bb.port(CoreInterface.PIX_WE) := io.pix_we
  bb.port(CoreInterface.PIX_ADDR) := io.pix_addr
  bb.port(CoreInterface.PIX_DATA) := io.pix_data
  bb.port(CoreInterface.START) := io.start
  bb.port(CoreInterface.SCORE_SEL) := io.score_sel
  private def out(n: String): UInt = bb.port(n).asUInt
  agree := out(CoreInterface.BUSY) === nn.io.busy && out(CoreInterface.DONE) === nn.io.done &&
    out(CoreInterface.CLASS_OUT) === nn.io.class_out && out(CoreInterface.SCORE) === nn.io.score.asUInt
}

object ScnnSystem {
  /**
   * Writes the example for a network: the Java RTL (module `<top>`) into `<out>/java/`, and
   * one SystemVerilog file per module (`ScnnSystem.sv`, the Chisel network `<top>_chisel.sv`, ...),
   * the black box's Verilog (copied by firtool) and `filelist.f` into `<out>/system/`. Returns the Chisel-side design.
   */
  def emit(net: Network, cfg: ScConfig, out: Path): ScDesign = {
    val top = ScBuilder.topName(net.name())
    val rtl = out.toAbsolutePath.resolve("java")
    ScnnBlackBox.write(ScBuilder.build(net, cfg, top), rtl)
    val chiselSc = ScBuilder.build(net, cfg, top + "_chisel")
    val sys = out.toAbsolutePath.resolve("system")
    Files.createDirectories(sys)
    ChiselStage.emitSystemVerilogFile(new ScnnSystem(chiselSc, rtl),
      Array("--target-dir", sys.toString, "--split-verilog"), ChiselBackend.FirtoolOptions.toArray)
    chiselSc
  }

  /** `ScnnSystem <weights.json> <bits> <outDir>`. */
  def main(args: Array[String]): Unit = {
    require(args.length == 3, "usage: ScnnSystem <weights.json> <bits> <outDir>")
    val net = WeightsIO.read(Path.of(args(0)))
    emit(net, new ScConfig(args(1).toInt, Encoding.SIGN_MAGNITUDE, 1, 1, SmtjModel.DEFAULT), Path.of(args(2)))
    println(s"wrote ${Path.of(args(2)).resolve("system")}")
  }
}
