package scnn.generator.tools;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Hands the JVM's unused heap back to the operating system before a large external tool runs beside
 * it. Reading a big netlist grows the heap towards its limit (a quarter of the machine's memory by
 * default), and G1 keeps what it grew: on the 3h net the JVM stayed at 6.4 GB resident, about 1.2 GB
 * of it live, while OpenSTA's power run took another 6.4 GB. A full collection with the heap's
 * free-ratio bounds lowered for its duration (both are manageable flags of HotSpot) shrinks the
 * committed heap to little more than what is live.
 */
public final class Heap {
    private Heap() {}

    /** Free share of the heap kept after the collection, percent. */
    static final int KEEP_FREE_PERCENT = 20;

    /**
     * Collects, shrinks the committed heap and returns the committed heap in bytes before and after;
     * without HotSpot's diagnostic bean (another JVM) only collects.
     */
    public static long[] release() {
        long before = committed();
        HotSpotDiagnosticMXBean hs;
        try {
            hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            hs = null;
        }
        if (hs == null) {
            System.gc();
            return new long[] {before, committed()};
        }
        String min = hs.getVMOption("MinHeapFreeRatio").getValue(), max = hs.getVMOption("MaxHeapFreeRatio").getValue();
        boolean set = false;
        try {
            // MinHeapFreeRatio <= MaxHeapFreeRatio at every step
            hs.setVMOption("MinHeapFreeRatio", String.valueOf(Math.min(Integer.parseInt(min), KEEP_FREE_PERCENT / 2)));
            hs.setVMOption("MaxHeapFreeRatio", String.valueOf(KEEP_FREE_PERCENT));
            set = true;
        } catch (RuntimeException e) {
            // not manageable in this JVM: a plain collection
        }
        try {
            System.gc();
        } finally {
            if (set) {
                hs.setVMOption("MaxHeapFreeRatio", max);
                hs.setVMOption("MinHeapFreeRatio", min);
            }
        }
        return new long[] {before, committed()};
    }

    private static long committed() {
        MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return u.getCommitted();
    }
}
