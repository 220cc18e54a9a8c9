package scnn.generator.arch;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import scnn.core.model.Encoding;
import scnn.core.weights.Layer;
import scnn.core.weights.Network;

/** {@code --weight-sources}: the devices each mode builds, and that the default is today's netlist. */
class WeightSourcesTest {
    static long randomSynapses(Network net, Encoding e) {
        long n = 0;
        for (Layer L : net.layers())
            for (int o = 0; o < L.outputs(); o++)
                for (int i = 0; i < L.inputs(); i++) {
                    int t = SmtjModel.threshold(e.probability(net.levelValue(L.code(o, i))));
                    if (t > 0 && t < 65536) n++;
                }
        return n;
    }

    static long weightDevices(ScDesign sd) {
        return sd.sources().stream().filter(g -> g.name().contains("wb") || g.name().contains("syn")).mapToLong(ScDesign.SourceGroup::devices).sum();
    }

    @Test
    void eachModeBuildsItsDevices() {
        Network net = ScBuilderTest.random(7, 11, 20, 10); // magnitudes 0.2, 0.4, 0.6, 0.8 are random: 4 per bank
        ScConfig c = ScConfig.of(8);
        ScDesign layer = ScBuilder.build(net, c, "t");
        assertEquals(layer.design().fingerprint(), ScBuilder.build(net, c.withWeightSources(WeightSources.LAYER), "t").design().fingerprint(),
                "layer is today's design");
        assertEquals(2 * 4, weightDevices(layer));
        ScDesign neuron = ScBuilder.build(net, c.withWeightSources(WeightSources.NEURON), "t");
        assertEquals((20 + 10) * 4, weightDevices(neuron), "one bank per output neuron");
        ScDesign syn = ScBuilder.build(net, c.withWeightSources(WeightSources.SYNAPSE), "t");
        assertEquals(randomSynapses(net, Encoding.SIGN_MAGNITUDE), weightDevices(syn), "one device per synapse of a random level");
        ScDesign synB = ScBuilder.build(net, c.withEncoding(Encoding.BIPOLAR).withWeightSources(WeightSources.SYNAPSE), "t");
        assertEquals(randomSynapses(net, Encoding.BIPOLAR), weightDevices(synB));
        // the other devices (pixels, hidden neurons) are the same in every mode
        assertEquals(layer.totalSources() - weightDevices(layer), syn.totalSources() - weightDevices(syn));
        assertEquals(layer.cyclesPerInference(), syn.cyclesPerInference());
        assertEquals("synapse", syn.design().params().get("weight_sources"));
        assertFalse(layer.design().params().containsKey("weight_sources"), "the default adds no parameter");
        assertThrows(IllegalArgumentException.class, () -> ScBuilder.build(net, c.withFold(2).withWeightSources(WeightSources.SYNAPSE), "t"));
    }
}
