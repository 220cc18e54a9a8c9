package scnn.chisel

import chisel3._
import chisel3.util.{log2Ceil, Cat}
import scnn.ir.{Bits => IrBits, Design, Node, Op, Ref}

import scala.collection.mutable
import scala.jdk.CollectionConverters._

/**
 * Elaborates a netlist-IR [[scnn.ir.Design]] as Chisel hardware with exactly the IR semantics
 * (see `scnn.ir.Op`): one module named `design.name()` with ports `clk`, `rst` (synchronous,
 * active high), one input per INPUT node and one output per entry of `design.outputs()`, in the IR's
 * order. Every node becomes a Chisel signal named after it (`suggestName`): a wire, a register
 * (`RegInit`), a memory (a `Reg` of a `Vec`, not reset) or a constant.
 *
 * Arrays are elaborated "vector-wide" where the IR allows it, so that the size of the FIRRTL grows
 * with the number of IR nodes rather than with count x width:
 *  - an array of 1-bit elements whose operation is bitwise (NOT, AND, OR, XOR, XNOR, MUX, and EQ /
 *    NE / LTU / LTS / extensions / reductions of 1-bit operands), and every 1-bit register or constant
 *    array, is ONE `UInt(count.W)` (bit g = element g) computed by one wide operation; a scalar
 *    operand of such an operation is replicated (`count` copies of the bit), a per-element select of
 *    a MUX or enable of a register becomes a bitwise select;
 *  - every other array is a `Vec(count, UInt(w.W))` elaborated element by element;
 *  - POPCOUNT is a bit-sliced adder tree over the packed operand (O(log^2 width) wide bitwise
 *    operations, exactly a tree of half and full adders in hardware) instead of one node per bit;
 *  - BITSEL with constant codes (the weight ROMs) is folded at elaboration.
 * A packed array is unpacked (one bit extraction per element) only where an element-wise
 * operation of wider elements reads it, and an element-wise array is packed (one concatenation)
 * only where a vector-wide operation or PACK reads it.
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

  /** Element values of a node (index: node id); derived from the packed value when missing. */
  private val elems = new Array[IndexedSeq[UInt]](nodes.size)
  /** The packed value (bit g = element g) of a 1-bit array; derived from the elements when missing. */
  private val packs = new Array[UInt](nodes.size)
  /** The Vec of an element-wise array node (wire, register or constant), for dynamic indexing. */
  private val vecs = new Array[Vec[UInt]](nodes.size)

  private def lit(b: IrBits): UInt = BigInt(b.toBigInteger).U(b.width().W)

  /** The bits of element 0 of every element of a 1-bit constant or register array, as one literal. */
  private def packedLit(n: Node): UInt = {
    var v = BigInt(0)
    for (g <- 0 until n.count()) if (n.data(g).bit(0)) v = v.setBit(g)
    v.U(n.count().W)
  }

  /** Whether array node `n` is elaborated as one packed `UInt(count.W)`. */
  private def packed(n: Node): Boolean = n.count() > 1 && n.width() == 1 && (n.op() match {
    case Op.REG | Op.CONST => true
    case Op.NOT | Op.AND | Op.OR | Op.XOR | Op.XNOR | Op.MUX => true
    case Op.EQ | Op.NE | Op.LTU | Op.LTS | Op.ZEXT | Op.SEXT | Op.SLICE | Op.RED_OR | Op.RED_AND | Op.RED_XOR |
         Op.POPCOUNT | Op.CONCAT =>
      n.args().asScala.forall(_.width() == 1)
    case _ => false
  })

  withClockAndReset(clk, rst) {
    // Leaves first: registers and memories are read before their next values are known.
    for (n <- nodes) n.op() match {
      case Op.INPUT => elems(n.id()) = IndexedSeq(inMap(n.name()))
      case Op.CONST =>
        if (n.count() == 1) {
          elems(n.id()) = IndexedSeq(WireInit(lit(n.data(0))).suggestName(n.name()))
        } else if (packed(n)) {
          packs(n.id()) = WireInit(packedLit(n)).suggestName(n.name())
        } else {
          val v = WireInit(VecInit((0 until n.count()).map(g => lit(n.data(g))))).suggestName(n.name())
          vecs(n.id()) = v
          elems(n.id()) = v.toIndexedSeq
        }
      case Op.REG =>
        if (n.count() == 1) {
          elems(n.id()) = IndexedSeq(RegInit(lit(n.data(0))).suggestName(n.name()))
        } else if (packed(n)) {
          packs(n.id()) = RegInit(packedLit(n)).suggestName(n.name())
        } else {
          val r = RegInit(VecInit((0 until n.count()).map(g => lit(n.data(g))))).suggestName(n.name())
          vecs(n.id()) = r
          elems(n.id()) = r.toIndexedSeq
        }
      case Op.RAM =>
        // Registers without reset (not a Chisel Mem): constant-address reads are plain wires, and
        // the SystemVerilog keeps the array under the node's name (`reg [w-1:0] name[0:count-1]`).
        val r = Reg(Vec(n.count(), UInt(n.width().W))).suggestName(n.name())
        vecs(n.id()) = r
        elems(n.id()) = r.toIndexedSeq
      case _ =>
    }

    // Combinational nodes in levelized order.
    for (n <- order) {
      if (n.count() == 1) {
        val w = Wire(UInt(n.width().W)).suggestName(n.name())
        w := comb(n, 0)
        elems(n.id()) = IndexedSeq(w)
      } else if (packed(n)) {
        val w = Wire(UInt(n.count().W)).suggestName(n.name())
        w := wide(n)
        packs(n.id()) = w
      } else {
        val v = Wire(Vec(n.count(), UInt(n.width().W))).suggestName(n.name())
        for (g <- 0 until n.count()) v(g) := comb(n, g)
        vecs(n.id()) = v
        elems(n.id()) = v.toIndexedSeq
      }
    }

    // Next state. Operands are computed before any `when`, so that every derived value (unpacked
    // bits, concatenations) lives at module scope.
    for (n <- nodes) n.op() match {
      case Op.REG if packed(n) =>
        val r = packs(n.id())
        val c = n.count()
        val next = pk(n.next(), c)
        Option(n.enable()) match {
          case None => r := next
          case Some(e) if e.mode() == Ref.Mode.SAME =>
            val en = pk(e, c)
            r := (en & next) | (~en & r)
          case Some(e) =>
            val en = el(e, 0).asBool
            when(en) { r := next }
        }
      case Op.REG =>
        val en = Option(n.enable())
        for (g <- 0 until n.count()) {
          val r = elems(n.id())(g)
          val next = el(n.next(), g)
          en match {
            case None => r := next
            case Some(e) =>
              val enable = el(e, g).asBool
              when(enable) { r := next }
          }
        }
      case Op.RAM =>
        val m = vecs(n.id())
        val (ok, idx) = select(el(n.arg(1), 0), n.count())
        val we = el(n.arg(0), 0).asBool && ok
        val data = el(n.arg(2), 0)
        when(we) { m(idx) := data }
      case _ =>
    }

    for ((port, ref) <- design.outputs().asScala) outMap(port) := el(ref, 0)
  }

  // ---- operands -------------------------------------------------------------------------------

  /** The element values of a node (derived from the packed value once, when needed). */
  private def elemsOf(n: Node): IndexedSeq[UInt] = {
    if (elems(n.id()) == null) {
      val p = packs(n.id())
      if (p == null) throw new IllegalStateException(s"${n.name()} is used before it is elaborated")
      elems(n.id()) = (0 until n.count()).map(g => p(g))
    }
    elems(n.id())
  }

  /** The packed value (bit g = element g) of a 1-bit array (concatenated once, when needed). */
  private def packedOf(n: Node): UInt = {
    if (packs(n.id()) == null) {
      val es = elemsOf(n)
      packs(n.id()) = if (es.size == 1) es.head else Cat(es.reverse)
    }
    packs(n.id())
  }

  /** Element `g` of a non-ARRAY operand. */
  private def el(r: Ref, g: Int): UInt = elemsOf(r.node())(r.element(g))

  /** `c` copies of the 1-bit `b`. */
  private def replicate(b: UInt, c: Int): UInt =
    if (c == 1) b else Mux(b.asBool, ((BigInt(1) << c) - 1).U(c.W), 0.U(c.W))

  /** A 1-bit operand of a packed operation of `c` elements, as `c` bits (bit g = its element g). */
  private def pk(r: Ref, c: Int): UInt = r.mode() match {
    case Ref.Mode.SAME => packedOf(r.node())
    case _             => replicate(el(r, 0), c)
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

  // ---- operations -----------------------------------------------------------------------------

  /** A packed node (see [[packed]]): all its elements at once, bit g = element g. */
  private def wide(n: Node): UInt = {
    val c = n.count()
    def a(i: Int): UInt = pk(n.arg(i), c)
    n.op() match {
      case Op.NOT  => ~a(0)
      case Op.AND  => a(0) & a(1)
      case Op.OR   => a(0) | a(1)
      case Op.XOR  => a(0) ^ a(1)
      case Op.XNOR => ~(a(0) ^ a(1))
      case Op.EQ   => ~(a(0) ^ a(1))
      case Op.NE   => a(0) ^ a(1)
      case Op.LTU  => ~a(0) & a(1)  // 0 < 1
      case Op.LTS  => a(0) & ~a(1)  // 1-bit signed: -1 < 0
      case Op.MUX =>
        if (n.arg(0).mode() == Ref.Mode.SAME) {
          val s = a(0)
          (s & a(2)) | (~s & a(1))
        } else Mux(el(n.arg(0), 0).asBool, a(2), a(1))
      // 1-bit operand, 1-bit result: the operand itself
      case Op.ZEXT | Op.SEXT | Op.SLICE | Op.RED_OR | Op.RED_AND | Op.RED_XOR | Op.POPCOUNT | Op.CONCAT => a(0)
      case other => throw new IllegalStateException(s"${n.name()}: $other is not vector-wide")
    }
  }

  /**
   * Number of ones of `x` modulo 2^w, as a bit-sliced adder tree: the partial counts are kept as bit
   * planes (plane j holds bit j of every partial count), and each level adds the low half of the
   * counts to the high half with a ripple of wide half / full adders. O(log^2 width) nodes.
   */
  private def popCount(x: UInt, w: Int): UInt = {
    var planes: Seq[UInt] = Seq(x)
    var m = x.getWidth
    while (m > 1) {
      val h = (m + 1) / 2
      val lo = planes.map(p => p(h - 1, 0))
      val hi = planes.map(p => p(m - 1, h).pad(h))
      val sum = mutable.ArrayBuffer.empty[UInt]
      var carry: Option[UInt] = None
      for (j <- lo.indices if j < w) {
        val (a, b) = (lo(j), hi(j))
        carry match {
          case None =>
            sum += a ^ b
            carry = Some(a & b)
          case Some(c) =>
            val t = a ^ b
            sum += t ^ c
            carry = Some((a & b) | (c & t))
        }
      }
      if (sum.size < w) sum ++= carry
      planes = sum.toSeq
      m = h
    }
    fit(if (planes.size == 1) planes.head else Cat(planes.reverse), w)
  }

  /** Element `g` of an element-wise node. */
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
      case Op.POPCOUNT => popCount(a(0), w)
      case Op.PACK =>
        val src = n.arg(0).node()
        if (src.width() == 1) packedOf(src)
        else {
          val es = (0 until src.count()).map(e => el(Ref.elem(src, e), 0))
          if (es.size == 1) es.head else Cat(es.reverse)
        }
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
          if (arr.count() == 1) elemsOf(arr)(0)
          else if (packed(arr)) (packedOf(arr) >> idx)(0)
          else vecs(arr.id())(idx)
        if (ok.litOption.contains(BigInt(1))) word else Mux(ok, word, 0.U(w.W))
      case other => throw new IllegalStateException(s"${n.name()}: $other is not combinational")
    }
  }
}
