package scnn.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import scnn.core.io.OutputPolicy;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.onnx.OnnxImporter;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a quantized MLP from ONNX: QONNX (Quant / BipolarQuant, as Brevitas exports) or the standard "
                + "QuantizeLinear/DequantizeLinear form, with MatMul/Gemm, Add, Mul/Div, Relu/Clip/Identity, Flatten/Reshape.",
                "The network is mapped exactly (weight codes on the quantizer's grid, per-channel scales, unsigned or symmetric "
                        + "activation grids) or refused with one line naming the node and the reason."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model.")
    Path model;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Weights file to write (scnn-weights/1, or /2 when it needs per-neuron scales or an own hidden grid).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "Network name (default: the model's scnn.name metadata, else the model file's base name).")
    String name;

    @Option(names = "--pixel-scale", paramLabel = "P",
            description = "The model's input is pixel / P for raw pixels 0..255 (default: the model's scnn.pixel_scale metadata, else 255).")
    Double pixelScale;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin ForceOption force;

    @Override
    public Integer call() {
        if (pixelScale != null && !(pixelScale > 0 && Double.isFinite(pixelScale)))
            throw new scnn.core.io.UsageException("--pixel-scale must be a positive number, got " + pixelScale);
        if (name != null && name.isBlank()) throw new scnn.core.io.UsageException("--name must not be empty");
        OutputPolicy.checkFile(out, force.replace(), WeightsIO.MARK);
        Network net = OnnxImporter.read(model, name, pixelScale);
        ObjectNode p = net.provenance();
        if (!p.has("command")) {
            p.put("command", "./scnn import " + TrainCommand.quote(model.toString()) + " --out " + TrainCommand.quote(out.toString())
                    + (name != null ? " --name " + TrainCommand.quote(name) : "") + (pixelScale != null ? " --pixel-scale " + pixelScale : ""));
            net = net.withProvenance(p);
        }
        WeightsIO.write(net, out, force.replace());
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("weights", out.toString());
            o.put("network", net.name());
            o.put("format", net.format());
            o.put("shape", net.shape());
            o.put("levels", net.levels());
            o.put("synapses", net.synapses());
            Json.print(o);
        } else {
            System.out.printf("wrote %s: %s (%s, %s, %d weight levels, %,d synapses)%n", out, net.name(), net.shape(), net.format(), net.levels(), net.synapses());
        }
        return 0;
    }
}
