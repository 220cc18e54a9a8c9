package scnn.sim.engine;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Fused pattern records: JVM bytecode generated for one {@link Instr#REP} record, defined as a
 * hidden class ({@link MethodHandles.Lookup#defineHiddenClass}), that runs the record copy by copy
 * with the whole pattern in the loop's body: the copy count, every operand's base and stride and every
 * count class are constants of the code, the results that later instructions of the same copy read
 * stay in locals (registers), and each count class's toggles are summed in a local over the loop.
 * The gates' semantics are {@link Instr#semantics}, compiled from their text.
 *
 * <p>Running copy by copy is the same as running instruction by instruction over all copies
 * because every copy reads only slots from outside the pattern or its own earlier results (the
 * encoder's condition for a record). A fused record exists only for records whose writes all count
 * into classes, and the machine runs it only while every lane counts (a full batch): then a class's
 * toggle count alone says whether anything changed, as in the loops. Every other case runs the
 * generated loops ({@code Machine.repeat}).
 */
final class Fuser {
    /** Whether programs get fused records (off only in tests that compare both ways). */
    static volatile boolean enabled = true;

    /**
     * A fused record: runs copies {@code from} .. {@code to - 1}, adds the classes' toggles to
     * {@code ct}; nonzero when something changed.
     */
    interface Fused {
        long run(long[] s, long[] ct, int from, int to);
    }

    /**
     * Copies per call of a fused record: a record runs as several calls, so that the JIT, which
     * counts calls, compiles the generated code after a few cycles instead of hundreds.
     */
    static final int CHUNK = 16;

    /**
     * Instructions per generated method at most: a longer pattern runs as several segments, each
     * over every copy before the next (as the loops run one instruction over every copy before the
     * next), so that every method stays well below the JIT's limit for compiling a method (8,000
     * bytes of bytecode; a segment of 32 instructions has at most about 3,500).
     */
    static final int SEGMENT = 32;

    /** The fused records of a program: the pcs of their {@link Instr#REP} records, ascending, and the code. */
    record Table(int[] pc, Fused[][] fused) {
        static final Table NONE = new Table(new int[0], new Fused[0][]);

        /** The segments of the fused record at {@code pcOfRep}, in order, or null. */
        Fused[] at(int pcOfRep) {
            int i = java.util.Arrays.binarySearch(pc, pcOfRep);
            return i >= 0 ? fused[i] : null;
        }
    }

    private Fuser() {}

    /** The fused records of every {@link Instr#REP} record of {@code code} whose writes all count into classes. */
    static Table fuse(int[] code, int slots) {
        if (!enabled) return Table.NONE;
        List<Integer> pcs = new ArrayList<>();
        List<Fused[]> fs = new ArrayList<>();
        for (int pc = 0; pc < code.length; pc = Instr.encodedNext(code, pc)) {
            if (Instr.op(code, pc) != Instr.REP || !allClassed(code, pc) || !inRange(code, pc, slots)) continue;
            int k = code[pc + 3];
            Fused[] seg = new Fused[(k + SEGMENT - 1) / SEGMENT];
            for (int i = 0; i < seg.length; i++) seg[i] = define(generate(code, pc, i * SEGMENT, Math.min(k, (i + 1) * SEGMENT)));
            pcs.add(pc);
            fs.add(seg);
        }
        return new Table(pcs.stream().mapToInt(Integer::intValue).toArray(), fs.toArray(new Fused[0][]));
    }

    private static boolean allClassed(int[] c, int pc) {
        int k = c[pc + 3], q = pc + Instr.REP_HEADER;
        for (int t = 0; t < k; t++) {
            Instr op = Instr.ALL[c[q++]];
            for (int w = 0; w < op.writes; w++, q += 3) if (c[q + 2] < 0) return false;
            q += 2 * op.reads;
        }
        return true;
    }

    /** Whether every operand of every copy is a slot in [0, slots) (the generated code does not check bounds). */
    private static boolean inRange(int[] c, int pc, int slots) {
        int copies = c[pc + 2], k = c[pc + 3], q = pc + Instr.REP_HEADER;
        if ((long) k * 2 * CHUNK * 64 > Integer.MAX_VALUE) return false; // the int accumulators could overflow
        for (int t = 0; t < k; t++) {
            Instr op = Instr.ALL[c[q++]];
            for (int o = 0; o < op.operands(); o++) {
                long first = c[q], last = c[q] + (long) (copies - 1) * c[q + 1];
                if (Math.min(first, last) < 0 || Math.max(first, last) >= slots) return false;
                q += o < op.writes ? 3 : 2;
            }
        }
        return true;
    }

    private static final String NAME = "scnn/sim/engine/Fuser$Pattern";

    private static Fused define(byte[] bytes) {
        try {
            Class<?> cl = MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
            return (Fused) cl.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fused pattern: " + e, e);
        }
    }

    /** The class file of instructions [{@code from}, {@code to}) of the fused record at {@code pc}. */
    static byte[] generate(int[] c, int pc, int from, int to) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, "java/lang/Object", new String[] {"scnn/sim/engine/Fuser$Fused"});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "([J[JII)J", null, null);
        mv.visitCode();
        final int S = 1, CT = 2, G = 3, TO = 4;
        int next = 5; // long locals from here, two slots each
        final int A = next, B = next + 2, C3 = next + 4;
        next += 6;
        int k = c[pc + 3];
        // one int accumulator per count class, in the order of first use (a call runs at most
        // CHUNK copies: at most CHUNK x 64 toggles per write); a byte offset per nonzero stride
        Map<Integer, Integer> acc = new LinkedHashMap<>();
        Map<Integer, Integer> off = new LinkedHashMap<>();
        for (int t = from, q = at(c, pc, from); t < to; t++) {
            Instr op = Instr.ALL[c[q++]];
            for (int o = 0; o < op.operands(); o++) {
                if (c[q + 1] != 0 && !off.containsKey(c[q + 1])) {
                    off.put(c[q + 1], next);
                    next += 2;
                }
                if (o < op.writes && !acc.containsKey(c[q + 2])) acc.put(c[q + 2], next++);
                q += o < op.writes ? 3 : 2;
            }
        }
        for (int local : acc.values()) {
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, local);
        }
        Label top = new Label(), test = new Label();
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(top);
        for (Map.Entry<Integer, Integer> e : off.entrySet()) {
            // off_S = (long) g * 8 * S
            mv.visitVarInsn(ILOAD, G);
            mv.visitInsn(I2L);
            mv.visitLdcInsn(8L * e.getKey());
            mv.visitInsn(LMUL);
            mv.visitVarInsn(LSTORE, e.getValue());
        }
        // the results of this copy so far: (base, stride) of a write -> its local
        Map<Long, Integer> results = new HashMap<>();
        final int[] operand = {A, B, C3};
        for (int t = from, q = at(c, pc, from); t < to; t++) {
            Instr op = Instr.ALL[c[q++]];
            int wq = q;
            q += 3 * op.writes;
            for (int r = 0; r < op.reads; r++, q += 2) {
                Integer local = results.get(key(c[q], c[q + 1]));
                if (local != null) mv.visitVarInsn(LLOAD, local);
                else load(mv, S, off, c[q], c[q + 1]);
                mv.visitVarInsn(LSTORE, operand[r]);
            }
            int[] value = new int[op.writes];
            for (int w = 0; w < op.writes; w++) {
                value[w] = next;
                next += 2;
                new Expr(op.semantics[w], mv, operand).emit();
                mv.visitVarInsn(LSTORE, value[w]);
            }
            for (int w = 0; w < op.writes; w++) {
                int base = c[wq + 3 * w], stride = c[wq + 3 * w + 1], cls = c[wq + 3 * w + 2];
                int a = acc.get(cls);
                // acc += bitCount(s[slot] ^ value); s[slot] = value
                load(mv, S, off, base, stride);
                mv.visitVarInsn(LLOAD, value[w]);
                mv.visitInsn(LXOR);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "bitCount", "(J)I", false);
                mv.visitVarInsn(ILOAD, a);
                mv.visitInsn(IADD);
                mv.visitVarInsn(ISTORE, a);
                mv.visitFieldInsn(GETSTATIC, "scnn/sim/engine/Fuser", "U", "Lsun/misc/Unsafe;");
                mv.visitVarInsn(ALOAD, S);
                offset(mv, off, base, stride);
                mv.visitVarInsn(LLOAD, value[w]);
                mv.visitMethodInsn(INVOKEVIRTUAL, "sun/misc/Unsafe", "putLong", "(Ljava/lang/Object;JJ)V", false);
                results.put(key(base, stride), value[w]);
            }
        }
        mv.visitIincInsn(G, 1);
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, G);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitJumpInsn(IF_ICMPLT, top);
        // ct[class] += acc; return the OR of the accumulators
        for (Map.Entry<Integer, Integer> e : acc.entrySet()) {
            mv.visitVarInsn(ALOAD, CT);
            push(mv, e.getKey());
            mv.visitInsn(DUP2);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(ILOAD, e.getValue());
            mv.visitInsn(I2L);
            mv.visitInsn(LADD);
            mv.visitInsn(LASTORE);
        }
        mv.visitInsn(ICONST_0);
        for (int local : acc.values()) {
            mv.visitVarInsn(ILOAD, local);
            mv.visitInsn(IOR);
        }
        mv.visitInsn(I2L);
        mv.visitInsn(LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Where instruction {@code t} of the {@link Instr#REP} record at {@code pc} starts. */
    private static int at(int[] c, int pc, int t) {
        int q = pc + Instr.REP_HEADER;
        for (int i = 0; i < t; i++) {
            Instr op = Instr.ALL[c[q]];
            q += 1 + 3 * op.writes + 2 * op.reads;
        }
        return q;
    }

    private static long key(int base, int stride) {
        return ((long) base << 32) | (stride & 0xffffffffL);
    }

    /** Pushes {@code s[base + g * stride]}. */
    private static void load(MethodVisitor mv, int s, Map<Integer, Integer> off, int base, int stride) {
        mv.visitFieldInsn(GETSTATIC, "scnn/sim/engine/Fuser", "U", "Lsun/misc/Unsafe;");
        mv.visitVarInsn(ALOAD, s);
        offset(mv, off, base, stride);
        mv.visitMethodInsn(INVOKEVIRTUAL, "sun/misc/Unsafe", "getLong", "(Ljava/lang/Object;J)J", false);
    }

    /** Pushes the byte offset of {@code s[base + g * stride]} (a long): the stride's offset of this copy plus a constant. */
    private static void offset(MethodVisitor mv, Map<Integer, Integer> off, int base, int stride) {
        mv.visitLdcInsn(ARRAY_BASE + 8L * base);
        if (stride != 0) {
            mv.visitVarInsn(LLOAD, off.get(stride));
            mv.visitInsn(LADD);
        }
    }

    /** No bounds checks in the generated code: every operand of every copy is checked once, when it is generated. */
    static final sun.misc.Unsafe U;
    static final int ARRAY_BASE;

    static {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (sun.misc.Unsafe) f.get(null);
            ARRAY_BASE = U.arrayBaseOffset(long[].class);
            if (U.arrayIndexScale(long[].class) != 8) throw new IllegalStateException("long[] scale");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void push(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    /**
     * Compiles one of {@link Instr#semantics}' expressions (operands {@code a b c}, operators
     * {@code ~ & ^ |} with Java's precedence, parentheses) to bytecode that leaves its long value
     * on the stack.
     */
    static final class Expr {
        private final String text;
        private final MethodVisitor mv;
        private final int[] operand;
        private int i;

        Expr(String text, MethodVisitor mv, int[] operand) {
            this.text = text;
            this.mv = mv;
            this.operand = operand;
        }

        void emit() {
            or();
            skip();
            if (i != text.length()) throw new IllegalArgumentException("semantics: unexpected '" + text.charAt(i) + "' in " + text);
        }

        private void or() {
            xor();
            while (peek('|')) {
                i++;
                xor();
                mv.visitInsn(LOR);
            }
        }

        private void xor() {
            and();
            while (peek('^')) {
                i++;
                and();
                mv.visitInsn(LXOR);
            }
        }

        private void and() {
            unary();
            while (peek('&')) {
                i++;
                unary();
                mv.visitInsn(LAND);
            }
        }

        private void unary() {
            if (peek('~')) {
                i++;
                unary();
                mv.visitLdcInsn(-1L);
                mv.visitInsn(LXOR);
            } else if (peek('(')) {
                i++;
                or();
                if (!peek(')')) throw new IllegalArgumentException("semantics: ')' expected in " + text);
                i++;
            } else {
                skip();
                char v = i < text.length() ? text.charAt(i) : '?';
                if (v < 'a' || v > 'c') throw new IllegalArgumentException("semantics: operand expected in " + text);
                i++;
                mv.visitVarInsn(LLOAD, operand[v - 'a']);
            }
        }

        private boolean peek(char ch) {
            skip();
            return i < text.length() && text.charAt(i) == ch;
        }

        private void skip() {
            while (i < text.length() && text.charAt(i) == ' ') i++;
        }
    }
}
