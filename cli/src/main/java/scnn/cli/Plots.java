package scnn.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import scnn.core.io.AtomicFiles;

/** PNG plots (XChart), written atomically. */
final class Plots {
    private Plots() {}

    static void energyBreakdown(Map<String, Double> pj, String title, Path file) {
        CategoryChart c = new CategoryChartBuilder().width(800).height(500).title(title)
                .xAxisTitle("hardware class").yAxisTitle("energy per inference (pJ)").build();
        c.getStyler().setLegendVisible(false);
        List<String> keys = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        pj.forEach((k, v) -> {
            keys.add(k);
            vals.add(v);
        });
        c.addSeries("energy", keys, vals);
        save(c, file);
    }

    static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(chart, bo, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.writeBytes(file, bo.toByteArray());
        } catch (IOException e) {
            throw new scnn.core.io.ScnnException(file + ": cannot write plot (" + e.getMessage() + ")");
        }
    }
}
