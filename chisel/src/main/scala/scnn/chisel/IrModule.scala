package scnn.chisel

import chisel3._
import chisel3.util.{log2Ceil, Cat, PopCount}
import scnn.ir.{Bits => IrBits, Design, Node, Op, Ref}

import scala.collection.mutable
import scala.jdk.CollectionConverters._

/**
 * Elaborates a netlist-IR [[scnn.ir.Design]] as Chisel hardware with exactly the IR semantics
 * (see `scnn.ir.Op`): one module named `design.name()` with ports `clk`, `rst` (synchronous,
 * active high), one input per INPUT node and one output per entry of `design.outputs()`, in the IR's
 * order. Every node becomes a Chisel signal named after it (`suggestName`): a wire, a register
 * (`RegInit`), a memory (`Mem`, not reset) or a constant (`VecInit` of literals); an array node
 * (count > 1) becomes a `Vec` whose elements are elaborated one by one.
 *
 * The module is a `RawModule`: clock and reset are ordinary ports, so it can be instantiated in
 * any Chisel design (`Module(new IrModule(d))`, then connect `clk`, `rst` and the ports found with
 * [[in]] / [[out]]).
 */
class IrModule(val design: Design) extends RawModule {
  override def desiredName: String = design.name()

  private val order: Seq[Node] = design.validate().asScala.toSeq
  private val nodes: Seq[Node] = design.nodes().asScala.toSeq

  val clk: Clock = IO(Input(Clock())).suggestName("clk")
  val rst: Bool = IO(Input(Bool())).suggestName("rst")

  /** Input ports by IR name, in port order. */
  val inputs: Seq[(String, UInt)] = design.inputs().asScala.toSeq.map { n =>
    n.name() -> IO(Input(UInt(n.width().W))).suggestName(n.name())
  }

  /** Output ports by IR name, in port order. */
  val outputs: Seq[(String, UInt)] = design.outputs().asScala.toSeq.map { case (port, ref) =>
    port -> IO(Output(UInt(ref.width().W))).suggestName(port)
  }

  private val inMap = inputs.toMap
  private val outMap = outputs.toMap

  /** The input port of that IR name. */
  def in(name: String): UInt = inMap.getOrElse(name, throw new NoSuchElementException(s"no input $name"))

  /** The output port of that name. */
  def out(name: String): UInt = outMap.getOrElse(name, throw new NoSuchElementException(s"no output $name"))

  // ---- per-node hardware -------------------------------------------------------------------

  /** Element values of every node except RAMs (index: node id). */
  private val elems = new Array[IndexedSeq[UInt]](nodes.size)
  /** The Vec of an array node (wire, register or constant), for dynamic indexing. */
  private val vecs = new Array[Vec[UInt]](nodes.size)
  private val mems = mutable.Map.empty[Int, Mem[UInt]]

  private def lit(b: IrBits): UInt = BigInt(b.toBigInteger).U(b.width().W)

  withClockAndReset(clk, rst) {
    // Leaves first: registers and memories are read before their next values are known.
    for (n <- nodes) n.op() match {
      case Op.INPUT => elems(n.id()) = IndexedSeq(inMap(n.name()))
      case Op.CONST =>
        if (n.count() == 1) {
          val w = WireInit(lit(n.data(0))).suggestName(n.name())
          elems(n.id()) = IndexedSeq(w)
        } else {
          val v = WireInit(VecInit((0 until n.count()).map(g => lit(n.data(g))))).suggestName(n.name())
          vecs(n.id()) = v
          elems(n.id()) = v.toIndexedSeq
        }
      case Op.REG =>
        if (n.count() == 1) {
          val r = RegInit(lit(n.data(0))).suggestName(n.name())
          elems(n.id()) = IndexedSeq(r)
        } else {
          val r = RegInit(VecInit((0 until n.count()).map(g => lit(n.data(g))))).suggestName(n.name())
          vecs(n.id()) = r
          elems(n.id()) = r.toIndexedSeq
        }
      case Op.RAM =>
        mems(n.id()) = Mem(n.count(), UInt(n.width().W)).suggestName(n.name())
      case _ =>
    }

    // Combinational nodes in levelized order.
    for (n <- order) {
      if (n.count() == 1) {
        val w = Wire(UInt(n.width().W)).suggestName(n.name())
        w := comb(n, 0)
        elems(n.id()) = IndexedSeq(w)
      } else {
        val v = Wire(Vec(n.count(), UInt(n.width().W))).suggestName(n.name())
        for (g <- 0 until n.count()) v(g) := comb(n, g)
        vecs(n.id()) = v
        elems(n.id()) = v.toIndexedSeq
      }
    }

    // Next state.
    for (n <- nodes) n.op() match {
      case Op.REG =>
        val en = Option(n.enable())
        for (g <- 0 until n.count()) {
          val r = elems(n.id())(g)
          en match {
            case None    => r := el(n.next(), g)
            case Some(e) => when(el(e, g).asBool) { r := el(n.next(), g) }
          }
        }
      case Op.RAM =>
        val m = mems(n.id())
        val addr = el(n.arg(1), 0)
        val (ok, idx) = select(addr, n.count())
        when(el(n.arg(0), 0).asBool && ok) { m.write(idx, el(n.arg(2), 0)) }
      case _ =>
    }

    for ((port, ref) <- design.outputs().asScala) outMap(port) := el(ref, 0)
  }

  // ---- operands and operations --------------------------------------------------------------

  /** Element `g` of a non-ARRAY operand. */
  private def el(r: Ref, g: Int): UInt = {
    val n = r.node()
    if (n.op() == Op.RAM) mems(n.id()).read(r.element(g).U(log2Ceil(n.count() max 2).W))
    else elems(n.id())(r.element(g))
  }

  /** Exactly `w` bits of `x`: truncated or zero-extended. */
  private def fit(x: UInt, w: Int): UInt = {
    val xw = x.getWidth
    if (xw == w) x else if (xw > w) x(w - 1, 0) else x.pad(w)
  }

  /**
   * A dynamic index into `size` entries: (in range, index of exactly log2Ceil(size) bits, or a
   * 1-bit 0 when size is 1).
   */
  private def select(idx: UInt, size: Int): (Bool, UInt) = {
    val iw = idx.getWidth
    if (size == 1) return (idx === 0.U, 0.U(1.W))
    val aw = log2Ceil(size)
    val inRange: Bool =
      if (iw < aw || (iw == aw && Integer.bitCount(size) == 1)) true.B
      else idx < size.U(iw.W)
    (inRange, fit(idx, aw))
  }

  private def comb(n: Node, g: Int): UInt = {
    val w = n.width()
    def a(i: Int): UInt = el(n.arg(i), g)
    n.op() match {
      case Op.NOT  => ~a(0)
      case Op.AND  => a(0) & a(1)
      case Op.OR   => a(0) | a(1)
      case Op.XOR  => a(0) ^ a(1)
      case Op.XNOR => ~(a(0) ^ a(1))
      case Op.ADD  => a(0) +% a(1)
      case Op.SUB  => a(0) -% a(1)
      case Op.MUL  => fit(a(0) * a(1), w)
      case Op.SHL  =>
        val k = n.param(0)
        if (k >= w) 0.U(w.W) else fit(a(0) << k, w)
      case Op.SHR =>
        val k = n.param(0)
        if (k >= w) 0.U(w.W) else fit(a(0) >> k, w)
      case Op.ASHR =>
        val k = math.min(n.param(0), w - 1)
        (a(0).asSInt >> k).pad(w).asUInt
      case Op.EQ  => a(0) === a(1)
      case Op.NE  => a(0) =/= a(1)
      case Op.LTU => a(0) < a(1)
      case Op.LTS => a(0).asSInt < a(1).asSInt
      case Op.MUX => Mux(a(0).asBool, a(2), a(1))
      case Op.CONCAT =>
        val parts = (0 until n.arity()).map(a)
        if (parts.size == 1) parts.head else Cat(parts)
      case Op.SLICE =>
        val lo = n.param(0)
        a(0)(lo + w - 1, lo)
      case Op.ZEXT => fit(a(0), w)
      case Op.SEXT =>
        val x = a(0)
        if (w <= x.getWidth) fit(x, w) else x.asSInt.pad(w).asUInt
      case Op.RED_OR   => a(0).orR
      case Op.RED_AND  => a(0).andR
      case Op.RED_XOR  => a(0).xorR
      case Op.POPCOUNT => fit(PopCount(a(0).asBools), w)
      case Op.PACK =>
        val src = n.arg(0).node()
        val es = (0 until src.count()).map(e => el(Ref.elem(src, e), 0))
        if (es.size == 1) es.head else Cat(es.reverse)
      case Op.INDEX =>
        // dynamic shift right: bit idx of the vector, 0 when idx is out of range
        (a(0) >> a(1))(0)
      case Op.BITSEL =>
        val bank = a(0)
        val cw = n.param(0)
        val codeRef = n.arg(1)
        if (codeRef.node().op() == Op.CONST) {
          // Constant codes (a weight ROM): result = OR over bank bits b of (bank(b) ? mask_b : 0),
          // mask_b having bit j set where code j == b. O(bank width) nodes instead of O(width).
          val codes = codeRef.node().data(codeRef.element(g))
          val masks = Array.fill(bank.getWidth)(BigInt(0))
          for (j <- 0 until w) {
            val c = codes.field(j * cw, cw)
            if (c < bank.getWidth) masks(c.toInt) = masks(c.toInt).setBit(j)
          }
          val terms = masks.zipWithIndex.collect { case (m, b) if m != 0 => Mux(bank(b), m.U(w.W), 0.U(w.W)) }
          if (terms.isEmpty) 0.U(w.W) else terms.reduce(_ | _)
        } else {
          val codes = a(1)
          val bits = (0 until w).map(j => (bank >> codes(j * cw + cw - 1, j * cw))(0))
          if (bits.size == 1) bits.head else Cat(bits.reverse)
        }
      case Op.ARRAY_GET =>
        val arr = n.arg(0).node()
        val (ok, idx) = select(a(1), arr.count())
        val word: UInt =
          if (arr.op() == Op.RAM) mems(arr.id()).read(idx)
          else if (arr.count() == 1) elems(arr.id())(0)
          else vecs(arr.id())(idx)
        if (ok.litOption.contains(BigInt(1))) word else Mux(ok, word, 0.U(w.W))
      case other => throw new IllegalStateException(s"${n.name()}: $other is not combinational")
    }
  }
}
