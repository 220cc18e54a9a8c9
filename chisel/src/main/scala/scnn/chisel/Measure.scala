package scnn.chisel

import circt.stage.ChiselStage

import java.nio.file.{Files, Path}

/**
 * `Measure <weights.json> <bits> <outDir>`: elaborates a weights file's design and reports the time
 * of Chisel elaboration alone (to CHIRRTL, in memory), the size of the CHIRRTL, and the time of the
 * whole `ChiselBackend.emit` (elaboration again + firtool) with the size of the SystemVerilog.
 * Run it under `/usr/bin/time -v` for the peak RSS (the JVM or firtool, whichever is larger).
 */
object Measure {
  def main(args: Array[String]): Unit = {
    val sc = ScnnNetwork.build(args(0), args(1).toInt)
    val d = sc.design()
    var t0 = System.nanoTime()
    val fir = ChiselStage.emitCHIRRTL(new IrModule(d))
    val elab = (System.nanoTime() - t0) / 1e9
    println(f"${d.name()}: ${d.nodes().size()} IR nodes, ${sc.network().synapses()} synapses, N = ${args(1)}; " +
      f"CHIRRTL ${fir.length / 1e6}%.1f MB, elaboration $elab%.1f s")
    t0 = System.nanoTime()
    val r = ChiselBackend.emit(d, Path.of(args(2)))
    val all = (System.nanoTime() - t0) / 1e9
    println(f"emit (elaboration + firtool): $all%.1f s, so firtool about ${all - elab}%.1f s; " +
      f"SystemVerilog ${Files.size(r.verilog) / 1e6}%.2f MB, ${Files.readAllLines(r.verilog).size()} lines")
  }
}
