package scnn.chisel

import chisel3._
import scnn.core.weights.{Network, WeightsIO}
import scnn.core.model.Encoding
import scnn.generator.arch.{CoreInterface, ScBuilder, ScConfig, ScDesign, SmtjModel}

import java.nio.file.Path

/**
 * The ports of a generated SC network (see `scnn.generator.arch.ScBuilder`), without clock and reset.
 * Widths come from the core's interface description (`scnn.generator.arch.CoreInterface`, a design's
 * `coreInterface()`): `pix_addr` addresses the network's inputs, `score_sel` and `class_out`
 * select / give an output class, `score` is the selected output accumulator (two's complement).
 * The field names are the interface's port names.
 */
class ScnnIO(classWidth: Int, scoreWidth: Int, addrWidth: Int) extends Bundle {

  val pix_we    = Input(Bool())
  val pix_addr  = Input(UInt(addrWidth.W))
  val pix_data  = Input(UInt(CoreInterface.PIX_DATA_WIDTH.W))
  val start     = Input(Bool())
  val score_sel = Input(UInt(classWidth.W))
  val busy      = Output(Bool())
  val done      = Output(Bool())
  val class_out = Output(UInt(classWidth.W))
  val score     = Output(SInt(scoreWidth.W))
}

object ScnnIO {
  /** The ports of a core with interface `io`. */
  def apply(io: CoreInterface): ScnnIO = new ScnnIO(io.classWidth(), io.scoreWidth(), io.pixAddrWidth())
}

object ScnnNetwork {
  /** Builds the IR of a weights file through the Java generator (the same design `./scnn generate` prints). */
  def build(weightsFile: String, bits: Int, encoding: String = "sign-magnitude", fold: Int = 1, seed: Long = 1,
            top: String = null): ScDesign = {
    val net: Network = WeightsIO.read(Path.of(weightsFile))
    val name = if (top == null) ScBuilder.topName(net.name()) else top
    ScBuilder.build(net, new ScConfig(bits, Encoding.parse(encoding), fold, seed, SmtjModel.DEFAULT), name)
  }
}

/**
 * An SC network as an ordinary Chisel `Module` (implicit clock; the implicit reset must be
 * synchronous, which it is by default at the top), elaborated in Chisel from the IR that the Java
 * generator builds for `weightsFile`. Use it inside any Chisel design:
 * {{{
 *   val nn = Module(new ScnnNetwork("weights/mnist-1h-L5-sc.json", bits = 16))
 *   nn.io.start := go
 * }}}
 * The submodule `core` ([[IrModule]]) is the network itself, with the IR's port names.
 */
class ScnnNetwork(val sc: ScDesign) extends Module {
  def this(weightsFile: String, bits: Int, encoding: String = "sign-magnitude", fold: Int = 1, seed: Long = 1) =
    this(ScnnNetwork.build(weightsFile, bits, encoding, fold, seed))

  override def desiredName: String = sc.design().name() + "_wrap"

  private val d = sc.design()
  /** The interface facts of the core. */
  val coreInterface: CoreInterface = sc.coreInterface()
  val io = IO(ScnnIO(coreInterface))

  /** Clock edges from the edge that samples `start` to the edge that raises `done`. */
  val cyclesPerInference: Int = sc.cyclesPerInference()

  val core = Module(new IrModule(d))
  core.clk := clock
  core.rst := reset.asBool
  core.in(CoreInterface.PIX_WE) := io.pix_we
  core.in(CoreInterface.PIX_ADDR) := io.pix_addr
  core.in(CoreInterface.PIX_DATA) := io.pix_data
  core.in(CoreInterface.START) := io.start
  core.in(CoreInterface.SCORE_SEL) := io.score_sel
  io.busy := core.out(CoreInterface.BUSY)
  io.done := core.out(CoreInterface.DONE)
  io.class_out := core.out(CoreInterface.CLASS_OUT)
  io.score := core.out(CoreInterface.SCORE).asSInt
}
