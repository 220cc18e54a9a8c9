package scnn.generator.tools;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapTest {
    @Test
    void releaseShrinksTheCommittedHeapAndRestoresTheFlags() {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = hs.getVMOption("MinHeapFreeRatio").getValue(), max = hs.getVMOption("MaxHeapFreeRatio").getValue();
        long limit = Runtime.getRuntime().maxMemory();
        // grow the heap by about 1 GB (or half the limit), touched, then let it go
        int chunks = (int) Math.min(8, limit / 2 / (128L << 20));
        List<byte[]> keep = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            byte[] b = new byte[128 << 20];
            for (int j = 0; j < b.length; j += 4096) b[j] = 1;
            keep.add(b);
        }
        long grown = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        assertTrue(grown >= chunks * (128L << 20), "the heap grew to hold " + chunks + " chunks: " + (grown >> 20) + " MiB");
        keep.clear();
        long[] r = Heap.release();
        assertTrue(r[0] >= chunks * (128L << 20), "committed before the release: " + (r[0] >> 20) + " MiB");
        long initial = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit();
        assertTrue(r[1] <= Math.max(initial, grown - chunks * (128L << 20) / 2),
                "after: " + (r[1] >> 20) + " MiB of " + (grown >> 20) + " (initial " + (initial >> 20) + ")");
        assertEquals(min, hs.getVMOption("MinHeapFreeRatio").getValue());
        assertEquals(max, hs.getVMOption("MaxHeapFreeRatio").getValue());
    }
}
