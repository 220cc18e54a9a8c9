package scnn.chisel

import chisel3._
import chisel3.dontTouch
import chisel3.util.{log2Ceil, Cat}
import scnn.ir.{Bits => IrBits, Design, Node, Op, Ref}

import scala.collection.mutable
import scala.jdk.CollectionConverters._

/**
 * Elaborates a netlist-IR [[scnn.ir.Design]] as Chisel hardware with exactly the IR semantics
 * (see `scnn.ir.Op`): one module named `design.name()` with ports `clk`, `rst` (synchronous,
 * active high), one input per INPUT node and one output per entry of `design.outputs()`, in the IR's
 * order. Every node becomes ONE Chisel signal named after it (`suggestName`): a wire, a register
 * (`RegInit`) or a constant; a RAM is a `Reg` of a `Vec` (not reset).
 *
 * ==Arrays are bit-sliced (vector-wide)==
 * An array node of `count` C elements of `width` w is one `UInt(C * w)` in bit-plane layout: bit j
 * of element g is bit `j * C + g` (plane j, bits `[j*C, (j+1)*C)`, holds bit j of every element;
 * for w = 1 the vector is simply element g at bit g). Element-wise operations then become a few
 * operations on whole planes, independent of C, exactly as the bit-sliced Java simulator computes
 * them: bitwise operations are one wide operation; shifts, slices, extensions and concatenations
 * re-arrange planes; ADD / SUB are ripple-carry adders of planes, comparisons ripple comparators,
 * MUX a plane-wise select; POPCOUNT is a bit-sliced adder tree whose levels add the low half of the
 * planes to the high half (O(log^2 w) wide operations); an ARRAY_GET from a small constant table
 * decodes the index planes. So the size of the FIRRTL grows with the number of IR nodes and the
 * element widths, not with the element counts; the hardware is the same element-wise logic (a
 * plane operation is C gates). A scalar operand of an array operation is replicated into every
 * element (a sign-extended bit is one replicated bit). The few operations that have no plane form
 * (MUL, BITSEL, INDEX and other ARRAY_GETs of arrays) are computed element by element, and their
 * elements packed into planes.
 *
 * ==Hierarchy==
 * Every IR module is a Chisel module of its own: an instance of count 1 is a child `IrModule` of
 * the instance's name, its array ports vectors in bit-plane layout; an instance array of C copies
 * of a module of scalars is ONE child module that holds all C copies bit-sliced (module
 * `<module>_x<C>`: every per-copy node is C elements in bit-plane layout, the inputs that the
 * parent connects element-wise are C-element ports, the ones it broadcasts scalar ports, and logic
 * that reads no per-copy value one scalar, as `scnn.ir.Flatten` inlines it). So the node `x` of
 * instance path `a.b` is the signal `a.b.x` of the SystemVerilog hierarchy (one vector of C
 * elements inside an instance array).
 *
 * The module is a `RawModule`: clock and reset are ordinary ports, so it can be instantiated in
 * any Chisel design (`Module(new IrModule(d))`, then connect `clk`, `rst` and the ports found with
 * [[in]] / [[out]]).
 *
 * @param design  the IR module to elaborate
 * @param copies  1, or the copies C of an instance array (the design is then a module of scalars)
 * @param perCopy for an instance array: the input ports connected element-wise (the others are broadcast)
 */
class IrModule(val design: Design, copies: Int = 1, perCopy: Set[String] = Set.empty) extends RawModule {
  override def desiredName: String = if (copies == 1) design.name() else s"${design.name()}_x$copies"

  private val order: Seq[Node] = design.validate().asScala.toSeq
  private val nodes: Seq[Node] = design.nodes().asScala.toSeq

  /**
   * Elements of every node's value (index: node id): its count, or inside an instance array C for
   * a per-copy node and 1 for a broadcast one.
   */
  private val counts: Array[Int] = {
    val a = new Array[Int](nodes.size)
    for (n <- nodes) a(n.id()) =
      if (copies == 1) n.count()
      else n.op() match {
        case Op.INPUT => if (perCopy(n.name())) copies else 1
        case Op.CONST => 1
        case Op.REG => copies
        case Op.RAM | Op.INST_OUT => throw new IllegalArgumentException(s"${design.name()}.${n.name()}: ${n.op()} inside an instance array")
        case _ =>
          if ((0 until n.arity()).exists(i => n.arg(i).mode() == Ref.Mode.ARRAY))
            throw new IllegalArgumentException(s"${design.name()}.${n.name()}: a whole-array operand inside an instance array")
          if ((0 until n.arity()).exists(i => a(n.arg(i).node().id()) > 1)) copies else 1
      }
    a
  }

  /** Elements of the value of `n` (see [[counts]]). */
  private def cnt(n: Node): Int = counts(n.id())

  /** Operand `r` reads element g of its node for element g of the user (a per-copy node inside an instance array). */
  private def isSame(r: Ref): Boolean = if (copies == 1) r.mode() == Ref.Mode.SAME else cnt(r.node()) > 1

  /** The element of its node that operand `r` gives element `g` of the user. */
  private def elemIdx(r: Ref, g: Int): Int = if (copies == 1) r.element(g) else if (cnt(r.node()) > 1) g else 0

  val clk: Clock = IO(Input(Clock())).suggestName("clk")
  val rst: Bool = IO(Input(Bool())).suggestName("rst")

  /** Input ports by IR name, in port order (count x width bits, bit-plane layout). */
  val inputs: Seq[(String, UInt)] = design.inputs().asScala.toSeq.map { n =>
    n.name() -> IO(Input(UInt((cnt(n) * n.width()).W))).suggestName(n.name())
  }

  /** Elements of output `port`'s value: the driver's count, or C in an instance array. */
  private def outCount(ref: Ref): Int = if (copies == 1) ref.node().count() else copies

  /** Output ports by IR name, in port order (count x width bits, bit-plane layout). */
  val outputs: Seq[(String, UInt)] = design.outputs().asScala.toSeq.map { case (port, ref) =>
    port -> IO(Output(UInt((outCount(ref) * ref.width()).W))).suggestName(port)
  }

  private val inMap = inputs.toMap
  private val outMap = outputs.toMap

  /** The input port of that IR name. */
  def in(name: String): UInt = inMap.getOrElse(name, throw new NoSuchElementException(s"no input $name"))

  /** The output port of that name. */
  def out(name: String): UInt = outMap.getOrElse(name, throw new NoSuchElementException(s"no output $name"))

  // ---- per-node hardware -------------------------------------------------------------------

  /** The value of every non-RAM node: count x width bits in bit-plane layout (index: node id). */
  private val vals = new Array[UInt](nodes.size)
  /** The words of every RAM. */
  private val rams = mutable.Map.empty[Int, Vec[UInt]]
  /** Elements extracted from bit-plane values, and Vecs of them for dynamic indexing. */
  private val elemCache = mutable.Map.empty[(Int, Int), UInt]
  private val vecCache = mutable.Map.empty[Int, Vec[UInt]]
  /** Scalar operands replicated into c elements: (node, element, c). */
  private val repCache = mutable.Map.empty[(Int, Int, Int), UInt]

  private def lit(b: IrBits): UInt = BigInt(b.toBigInteger).U(b.width().W)

  /** A non-negative BigInt from a BitSet of `bits` bits. */
  private def bigOf(bs: java.util.BitSet): BigInt = {
    val le = bs.toByteArray
    BigInt(1, le.reverse)
  }

  /** The constant or reset values of an array node in bit-plane layout (see [[bigLit]]). */
  private def planesLit(n: Node): UInt = {
    val c = cnt(n)
    val w = n.width()
    val bs = new java.util.BitSet(c * w)
    for (g <- 0 until c) {
      val d = n.data(if (n.count() == 1) 0 else g)
      for (j <- 0 until w) if (d.bit(j)) bs.set(j * c + g)
    }
    bigLit(bigOf(bs), c * w, n.name())
  }

  /**
   * A literal of `width` bits; above [[MaxLiteralBits]] bits it is the concatenation of named
   * chunk wires `<name>_lit<k>` (kept by `dontTouch`), because Verilator rejects numbers wider than
   * 64K bits (its default `--max-num-width`) and firtool would otherwise inline the whole constant.
   */
  private def bigLit(v: BigInt, width: Int, name: String): UInt =
    if (width <= IrModule.MaxLiteralBits) v.U(width.W)
    else {
      val chunks = (0 until width by IrModule.MaxLiteralBits).map { lo =>
        val w = math.min(IrModule.MaxLiteralBits, width - lo)
        dontTouch(WireInit(((v >> lo) & ((BigInt(1) << w) - 1)).U(w.W)).suggestName(s"${name}_lit${lo / IrModule.MaxLiteralBits}"))
      }
      Cat(chunks.reverse)
    }

  withClockAndReset(clk, rst) {
    // Leaves first: registers and memories are read before their next values are known.
    for (n <- nodes) n.op() match {
      case Op.INPUT => vals(n.id()) = inMap(n.name())
      case Op.CONST =>
        val v = if (cnt(n) == 1) lit(n.data(0)) else planesLit(n)
        vals(n.id()) = WireInit(v).suggestName(n.name())
      case Op.REG =>
        val v = if (cnt(n) == 1) lit(n.data(0)) else planesLit(n)
        vals(n.id()) = RegInit(v).suggestName(n.name())
      case Op.RAM =>
        rams(n.id()) = Reg(Vec(n.count(), UInt(n.width().W))).suggestName(n.name())
      case Op.INST_OUT =>
        vals(n.id()) = children(n.instance()).out(n.port())
      case _ =>
    }

    // Combinational nodes in levelized order (instance outputs are the children's ports).
    for (n <- order if n.op() != Op.INST_OUT) {
      val w = Wire(UInt((cnt(n) * n.width()).W)).suggestName(n.name())
      w := (if (cnt(n) == 1) comb(n, 0) else wide(n))
      vals(n.id()) = w
    }

    // The children's inputs: element-wise connections in bit-plane layout, whole arrays as they are.
    for (inst <- design.instances().asScala; (port, conn) <- inst.inputs().asScala) {
      val child = children(inst)
      child.in(port) := (
        if (inst.count() > 1) { if (conn.mode() == Ref.Mode.SAME) pk(conn, inst.count()) else el(conn, 0) }
        else if (conn.mode() == Ref.Mode.ARRAY) arrayPlanes(conn.node())
        else el(conn, 0))
    }

    // Next state. Operands are computed before any `when`, so that every derived value (extracted
    // elements, replicated scalars) lives at module scope.
    for (n <- nodes) n.op() match {
      case Op.REG =>
        val r = vals(n.id())
        val c = cnt(n)
        val next = if (c == 1) el(n.next(), 0) else pk(n.next(), c)
        Option(n.enable()) match {
          case None => r := next
          case Some(e) if c > 1 && isSame(e) =>
            val en = spread(pk(e, c), n.width())
            r := (en & next) | (~en & r)
          case Some(e) =>
            val en = el(e, 0).asBool
            when(en) { r := next }
        }
      case Op.RAM =>
        val m = rams(n.id())
        val (ok, idx) = select(el(n.arg(1), 0), n.count())
        val we = el(n.arg(0), 0).asBool && ok
        val data = el(n.arg(2), 0)
        when(we) { m(idx) := data }
      case _ =>
    }

    for ((port, ref) <- design.outputs().asScala) outMap(port) := (if (outCount(ref) == 1) el(ref, 0) else pk(ref, outCount(ref)))
  }

  /** The child module of every instance, named after it (made before any logic, connected after it). */
  private lazy val children: Map[scnn.ir.Instance, IrModule] = design.instances().asScala.toSeq.map { inst =>
    if (copies > 1) throw new IllegalArgumentException(s"${design.name()}: instance ${inst.name()} inside an instance array")
    val per = if (inst.count() > 1) inst.inputs().asScala.collect { case (p, r) if r.mode() == Ref.Mode.SAME => p }.toSet else Set.empty[String]
    val m = Module(new IrModule(inst.module(), inst.count(), per)).suggestName(inst.name())
    m.clk := clk
    m.rst := rst
    inst -> m
  }.toMap

  /** A whole array (an array port's connection) in bit-plane layout. */
  private def arrayPlanes(n: Node): UInt =
    if (n.op() == Op.RAM) toPlanes((0 until n.count()).map(e => elemOf(n, e)), n.width())
    else if (cnt(n) == 1) elemOf(n, 0)
    else vals(n.id())

  // ---- operands -------------------------------------------------------------------------------

  /** Element `e` of node `n` (w bits). */
  private def elemOf(n: Node, e: Int): UInt = {
    if (n.op() == Op.RAM) return rams(n.id())(e)
    val c = cnt(n)
    if (c == 1) return vals(n.id())
    elemCache.getOrElseUpdate((n.id(), e), {
      val v = vals(n.id())
      if (n.width() == 1) v(e) else Cat((n.width() - 1 to 0 by -1).map(j => v(j * c + e)))
    })
  }

  /** Element `g` of a non-ARRAY operand. */
  private def el(r: Ref, g: Int): UInt = elemOf(r.node(), elemIdx(r, g))

  /** All elements of an array as a Vec (for a dynamic index). */
  private def vecOf(n: Node): Vec[UInt] =
    if (n.op() == Op.RAM) rams(n.id())
    else vecCache.getOrElseUpdate(n.id(), VecInit((0 until n.count()).map(e => elemOf(n, e))))

  /** `c` copies of the 1-bit `b` (a sign extension: firtool prints a replication, not a literal). */
  private def fill(b: UInt, c: Int): UInt =
    if (c == 1) b else b.asUInt.asSInt.pad(c).asUInt

  /** A plane of c bits repeated w times (the same mask for every bit of every element). */
  private def spread(plane: UInt, w: Int): UInt = if (w == 1) plane else Cat(Seq.fill(w)(plane))

  /** Elements (each w bits) packed into bit-plane layout. */
  private def toPlanes(es: IndexedSeq[UInt], w: Int): UInt = {
    val c = es.size
    if (c == 1) es.head
    else Cat((w - 1 to 0 by -1).map(j => Cat((c - 1 to 0 by -1).map(g => es(g)(j)))))
  }

  /** An operand of an array operation of `c` elements, in bit-plane layout. */
  private def pk(r: Ref, c: Int): UInt = {
    val n = r.node()
    if (isSame(r) && cnt(n) > 1) {
      if (n.op() == Op.RAM) toPlanes((0 until n.count()).map(e => elemOf(n, e)), n.width())
      else vals(n.id())
    } else {
      val e = elemIdx(r, 0)
      repCache.getOrElseUpdate((n.id(), e, c), {
        // a sign-extended bit (a mask of all ones or all zeros) is one replicated bit
        if (n.op() == Op.SEXT && cnt(n) == 1 && n.arg(0).width() == 1) fill(el(n.arg(0), 0), c * n.width())
        else {
          val x = elemOf(n, e)
          if (n.width() == 1) fill(x, c) else Cat((n.width() - 1 to 0 by -1).map(j => fill(x(j), c)))
        }
      })
    }
  }

  /** Plane j (c bits) of a bit-plane value. */
  private def plane(v: UInt, c: Int, j: Int): UInt = v((j + 1) * c - 1, j * c)

  /** The planes of a value of w planes of c bits, plane 0 first. */
  private def planes(v: UInt, c: Int, w: Int): IndexedSeq[UInt] = (0 until w).map(j => plane(v, c, j))

  private def join(ps: Seq[UInt]): UInt = if (ps.size == 1) ps.head else Cat(ps.reverse)

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

  // ---- bit-sliced arithmetic (planes of equal width, plane 0 least significant) ------------------

  /**
   * a + b (+ 1 when `carryIn`) for two numbers of the same number of planes k: the low `w` planes
   * of the sum (when w = k + 1 the top plane is the carry out).
   */
  private def addPlanes(a: IndexedSeq[UInt], b: IndexedSeq[UInt], carryIn: Option[UInt], w: Int): IndexedSeq[UInt] = {
    val out = mutable.ArrayBuffer.empty[UInt]
    var c = carryIn
    for (j <- 0 until math.min(w, a.size)) {
      val t = a(j) ^ b(j)
      val last = j + 1 == w
      c match {
        case None =>
          out += t
          if (!last) c = Some(a(j) & b(j))
        case Some(ci) =>
          out += t ^ ci
          if (!last) c = Some((a(j) & b(j)) | (ci & t))
      }
    }
    if (out.size < w) out += c.get
    out.toIndexedSeq
  }

  /** Plane of a < b (unsigned, or signed when `signed`: the top planes are sign planes). */
  private def lessPlanes(a: IndexedSeq[UInt], b: IndexedSeq[UInt], signed: Boolean): UInt = {
    val w = a.size
    var lt: UInt = null
    for (j <- 0 until w) {
      val top = signed && j == w - 1
      val here = if (top) a(j) & ~b(j) else ~a(j) & b(j)
      lt = if (lt == null) here else here | (~(a(j) ^ b(j)) & lt)
    }
    lt
  }

  /**
   * Number of ones of every element (wa planes of c bits) modulo 2^w, as w planes: a bit-sliced
   * adder tree. The partial counts are kept as digit vectors (digit k holds bit k of the partial
   * count of every group of planes); each level adds the low half of the groups to the high half.
   */
  private def popPlanes(x: UInt, c: Int, wa: Int, w: Int): UInt = {
    var digits: IndexedSeq[UInt] = IndexedSeq(x)
    var m = wa
    while (m > 1) {
      val h = (m + 1) / 2
      val lo = digits.map(d => d(h * c - 1, 0))
      val hi = digits.map(d => d(m * c - 1, h * c).pad(h * c))
      // the sum of two k-digit numbers has k + 1 digits; only w of them are kept
      digits = addPlanes(lo, hi, None, math.min(digits.size + 1, w))
      m = h
    }
    val ps = digits.take(w)
    fit(join(ps), w * c)
  }

  // ---- operations -----------------------------------------------------------------------------

  /** An array node (count > 1): all its elements at once, in bit-plane layout. */
  private def wide(n: Node): UInt = {
    val c = cnt(n)
    val w = n.width()
    def a(i: Int): UInt = pk(n.arg(i), c)
    def aw(i: Int): Int = n.arg(i).width()
    def elementwise: UInt = toPlanes((0 until c).map(g => comb(n, g)), w)
    n.op() match {
      case Op.NOT  => ~a(0)
      case Op.AND  => a(0) & a(1)
      case Op.OR   => a(0) | a(1)
      case Op.XOR  => a(0) ^ a(1)
      case Op.XNOR => ~(a(0) ^ a(1))
      case Op.ADD  => join(addPlanes(planes(a(0), c, w), planes(a(1), c, w), None, w))
      case Op.SUB =>
        val ones = ((BigInt(1) << c) - 1).U(c.W)
        join(addPlanes(planes(a(0), c, w), planes(~a(1), c, w), Some(ones), w))
      case Op.SHL =>
        val k = n.param(0)
        if (k >= w) 0.U((c * w).W) else if (k == 0) a(0) else Cat(a(0)((w - k) * c - 1, 0), 0.U((k * c).W))
      case Op.SHR =>
        val k = n.param(0)
        if (k >= w) 0.U((c * w).W) else if (k == 0) a(0) else Cat(0.U((k * c).W), a(0)(w * c - 1, k * c))
      case Op.ASHR =>
        val k = math.min(n.param(0), w - 1)
        val x = a(0)
        if (k == 0) x else Cat(Seq.fill(k)(plane(x, c, w - 1)) :+ x(w * c - 1, k * c))
      case Op.EQ | Op.NE =>
        val d = planes(a(0) ^ a(1), c, aw(0))
        val ne = d.reduce(_ | _)
        if (n.op() == Op.EQ) ~ne else ne
      case Op.LTU => lessPlanes(planes(a(0), c, aw(0)), planes(a(1), c, aw(1)), signed = false)
      case Op.LTS => lessPlanes(planes(a(0), c, aw(0)), planes(a(1), c, aw(1)), signed = true)
      case Op.MUX =>
        val s = n.arg(0)
        if (isSame(s)) {
          val m = spread(pk(s, c), w)
          (m & a(2)) | (~m & a(1))
        } else Mux(el(s, 0).asBool, a(2), a(1))
      case Op.CONCAT => if (n.arity() == 1) a(0) else Cat((0 until n.arity()).map(a))
      case Op.SLICE =>
        val lo = n.param(0)
        a(0)((lo + w) * c - 1, lo * c)
      case Op.ZEXT => fit(a(0), w * c)
      case Op.SEXT =>
        val x = a(0)
        val xw = aw(0)
        if (w <= xw) fit(x, w * c) else Cat(Seq.fill(w - xw)(plane(x, c, xw - 1)) :+ x)
      case Op.RED_OR  => planes(a(0), c, aw(0)).reduce(_ | _)
      case Op.RED_AND => planes(a(0), c, aw(0)).reduce(_ & _)
      case Op.RED_XOR => planes(a(0), c, aw(0)).reduce(_ ^ _)
      case Op.POPCOUNT => popPlanes(a(0), c, aw(0), w)
      case Op.ARRAY_GET if smallConstTable(n) => tableLookup(n)
      case Op.ARRAY_GET if n.arg(1).node().op() == Op.CONST && isSame(n.arg(1)) =>
        // constant indices (e.g. every pixel of the pixel memory): the words themselves
        val arr = n.arg(0).node()
        val idx = n.arg(1).node()
        toPlanes((0 until c).map { g =>
          val i = idx.data(g).toBigInteger
          if (i.compareTo(java.math.BigInteger.valueOf(arr.count())) < 0) elemOf(arr, i.intValue()) else 0.U(w.W)
        }, w)
      case Op.MUL | Op.PACK | Op.INDEX | Op.BITSEL | Op.ARRAY_GET => elementwise
      case other => throw new IllegalStateException(s"${n.name()}: $other is not combinational")
    }
  }

  /** An ARRAY_GET of every element from a small constant table by a per-element index. */
  private def smallConstTable(n: Node): Boolean = {
    val t = n.arg(0).node()
    t.op() == Op.CONST && t.count() <= 64 && isSame(n.arg(1))
  }

  /** Plane j of the result = OR over the table entries t with bit j set of (index == t). */
  private def tableLookup(n: Node): UInt = {
    val c = cnt(n)
    val w = n.width()
    val t = n.arg(0).node()
    val iw = n.arg(1).width()
    val ip = planes(pk(n.arg(1), c), c, iw)
    val hits = (0 until t.count()).map { e =>
      if (iw < 31 && e >= (1L << iw)) None
      else Some((0 until iw).map(j => if (((e >> j) & 1) == 1) ip(j) else ~ip(j)).reduce(_ & _))
    }
    join((0 until w).map { j =>
      val terms = (0 until t.count()).flatMap(e => if (t.data(e).bit(j)) hits(e) else None)
      if (terms.isEmpty) 0.U(c.W) else terms.reduce(_ | _)
    })
  }

  /** Element `g` of node `n`, computed element by element (scalars, and arrays without a plane form). */
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
      case Op.POPCOUNT => popPlanes(a(0), 1, n.arg(0).width(), w)
      case Op.PACK =>
        val src = n.arg(0).node()
        if (src.op() != Op.RAM && (src.width() == 1 || src.count() == 1)) vals(src.id())
        else Cat((src.count() - 1 to 0 by -1).map(e => elemOf(src, e)))
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
        val word: UInt = if (arr.count() == 1) elemOf(arr, 0) else vecOf(arr)(idx)
        if (ok.litOption.contains(BigInt(1))) word else Mux(ok, word, 0.U(w.W))
      case other => throw new IllegalStateException(s"${n.name()}: $other is not combinational")
    }
  }
}

object IrModule {
  /** Widest literal written as one number (see `bigLit`). */
  val MaxLiteralBits: Int = 16384
}
