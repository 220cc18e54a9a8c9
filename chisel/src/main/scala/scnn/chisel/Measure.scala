package scnn.chisel

import circt.stage.ChiselStage

import java.nio.file.Path

/**
 * `Measure <weights.json> <bits> <outDir>`: elaborates a weights file's design and reports the time
 * of Chisel elaboration alone (to CHIRRTL) and of the whole `ChiselBackend.emit` (elaboration + firtool).
 */
object Measure {
  def main(args: Array[String]): Unit = {
    val sc = ScnnNetwork.build(args(0), args(1).toInt)
    val d = sc.design()
    val rt = Runtime.getRuntime
    var t0 = System.nanoTime()
    val fir = ChiselStage.emitCHIRRTL(new IrModule(d))
    val elab = (System.nanoTime() - t0) / 1e9
    println(f"${d.name()}: ${d.nodes().size()} IR nodes, ${sc.network().synapses()} synapses; CHIRRTL ${fir.length / 1e6}%.1f MB, elaboration $elab%.1f s")
    t0 = System.nanoTime()
    val r = ChiselBackend.emit(d, Path.of(args(2)))
    val all = (System.nanoTime() - t0) / 1e9
    println(f"emit (elaboration + firtool): $all%.1f s; SystemVerilog ${java.nio.file.Files.size(r.verilog) / 1e6}%.1f MB; heap used ${(rt.totalMemory() - rt.freeMemory()) / 1e9}%.1f GB")
  }
}
