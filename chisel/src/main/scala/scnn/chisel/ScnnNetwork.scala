package scnn.chisel

import chisel3._
import scnn.core.weights.{Network, WeightsIO}
import scnn.generator.arch.{Encoding, ScBuilder, ScConfig, ScDesign, SmtjModel}

import java.nio.file.Path

/**
 * The ports of a generated SC network (see `scnn.generator.arch.ScBuilder`), without clock and reset.
 * Widths come from the design: `pix_addr` addresses the network's inputs (10 bits for 784),
 * `score_sel` and `class_out` select / give an output class, `score` is the selected output
 * accumulator (two's complement).
 */
class ScnnIO(classWidth: Int, scoreWidth: Int, addrWidth: Int = 10) extends Bundle {
  val pix_we    = Input(Bool())
  val pix_addr  = Input(UInt(addrWidth.W))
  val pix_data  = Input(UInt(8.W))
  val start     = Input(Bool())
  val score_sel = Input(UInt(classWidth.W))
  val busy      = Output(Bool())
  val done      = Output(Bool())
  val class_out = Output(UInt(classWidth.W))
  val score     = Output(SInt(scoreWidth.W))
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
  val io = IO(new ScnnIO(d.inputs().get(4).width(), sc.scoreWidth(), d.node("pix_addr").width()))

  /** Clock edges from the edge that samples `start` to the edge that raises `done`. */
  val cyclesPerInference: Int = sc.cyclesPerInference()

  val core = Module(new IrModule(d))
  core.clk := clock
  core.rst := reset.asBool
  core.in("pix_we") := io.pix_we
  core.in("pix_addr") := io.pix_addr
  core.in("pix_data") := io.pix_data
  core.in("start") := io.start
  core.in("score_sel") := io.score_sel
  io.busy := core.out("busy")
  io.done := core.out("done")
  io.class_out := core.out("class_out")
  io.score := core.out("score").asSInt
}
