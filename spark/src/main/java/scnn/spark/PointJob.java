package scnn.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import scnn.core.io.ScnnException;
import scnn.core.mnist.MnistSet;
import scnn.core.progress.Progress;
import scnn.core.weights.Network;
import scnn.core.weights.WeightsIO;
import scnn.generator.arch.ScBuilder;
import scnn.generator.arch.ScConfig;
import scnn.generator.arch.ScDesign;
import scnn.sim.EnergyModel;
import scnn.sim.sweep.Sweep;

/**
 * Everything an executor needs to compute one sweep point, in serializable form: the network as
 * its JSON, the configuration, the image count, the energy model and the fingerprint of the
 * netlist the driver built, which the executor's netlist must equal (one IR on both sides).
 *
 * @param index the point's place in the sweep
 * @param networkJson the network ({@code scnn-weights} JSON)
 * @param config the generation options
 * @param images test images
 * @param energy the energy model
 * @param threads simulator threads of the task
 * @param designSha256 the driver's netlist fingerprint
 */
record PointJob(int index, String networkJson, ScConfig config, int images, EnergyModel energy, int threads, String designSha256)
        implements Serializable {
    /** The point's simulated figures ({@link Sweep#simulate}) as JSON text. */
    String compute(MnistSet test) {
        Network net;
        try {
            net = WeightsIO.parse(new ObjectMapper().readTree(networkJson));
        } catch (IOException e) {
            throw new ScnnException("sweep point " + index + ": the network does not parse on the executor (" + e.getMessage() + ")");
        }
        ScDesign sd = ScBuilder.build(net, config, ScBuilder.topName(net.name()));
        if (!sd.design().fingerprint().equals(designSha256))
            throw new ScnnException("sweep point " + index + ": the executor built another netlist than the driver ("
                    + sd.design().fingerprint() + " != " + designSha256 + "); are both running the same scnn?");
        return Sweep.simulate(sd, test, images, threads, energy, Progress.NONE).toString();
    }
}
