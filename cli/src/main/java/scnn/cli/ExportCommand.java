package scnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.onnx.OnnxExporter;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a scnn network as a QONNX model (Quant, MatMul, Div, Add, Mul, Clip; double tensors): "
                + "./scnn import of the file gives back the same network.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "W", description = "Weights file. Default: weights/mnist-1h-L5-sc.json.")
    Path weights;

    @Option(names = "--out", paramLabel = "MODEL.onnx", required = true, description = "The ONNX file to write (atomically).")
    Path out;

    @Mixin ForceOption force;

    @Override
    public Integer call() {
        Path w = weights != null ? weights : Paths.defaultWeights();
        Network net = WeightsIO.read(w);
        try {
            OnnxExporter.write(net, out, force.replace());
        } catch (scnn.core.io.ScnnException e) {
            if (e.getMessage().startsWith(net.name() + ": ")) throw new scnn.core.io.ScnnException(w + ": " + e.getMessage().substring(net.name().length() + 2));
            throw e;
        }
        System.out.printf("wrote %s: %s (%s, %d levels) as QONNX%n", out, net.name(), net.shape(), net.levels());
        return 0;
    }
}
