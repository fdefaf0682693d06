package dev.vesper.optimizer.velvet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.TensorFile;
import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.optim.support.OptimizerStates;
import dev.vesper.optim.support.StateKeys;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Export, import, resume and swap (spec section 7). */
class StateTest {
    private static final Map<String, Object> VELVET_ALL = Map.of("lr", 1e-2);

    @Test
    void velvetResumesBitIdenticallyThroughASafetensorsFile() throws IOException {
        resumes(new VelvetFactory(), VELVET_ALL);
    }

    @Test
    void adamwResumesBitIdenticallyThroughASafetensorsFile() throws IOException {
        resumes(new AdamWFactory(), Map.of("lr", 1e-2));
    }

    private static void resumes(OptimizerFactory factory, Map<String, Object> options) throws IOException {
        List<Parameter> straight = Fixture.model(11);
        Fixture.run(factory.create(straight, options), straight, 1, 40);

        List<Parameter> first = Fixture.model(11);
        Optimizer before = factory.create(first, options);
        Fixture.run(before, first, 1, 17);
        OptimizerState saved = throughFile(before.exportState());

        List<Parameter> second = Fixture.model(99);
        for (int i = 0; i < second.size(); i++) {
            second.get(i).value().copyFrom(first.get(i).value());
        }
        Optimizer after = factory.create(second, options);
        after.importState(saved);
        assertEquals(17, after.exportState().step());
        Fixture.run(after, second, 18, 40);
        assertTrue(Fixture.sameBits(Fixture.values(straight), Fixture.values(second)), factory.name() + " resume differs");
    }

    /** Through the SafeTensors bytes a checkpoint would hold, and back. */
    static OptimizerState throughFile(OptimizerState state) throws IOException {
        TensorFile file = OptimizerStates.toTensorFile(state);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        file.floats().forEach((k, v) -> tensors.put(k, v.toArray()));
        byte[] bytes = SafeTensorsFiles.write(tensors, file.metadata());
        SafeTensorsFiles.Contents read = SafeTensorsFiles.read(bytes, "optimizer.safetensors");
        Map<String, Tensor> floats = new LinkedHashMap<>();
        read.tensors.forEach((k, v) -> floats.put(k, Tensor.wrap(v, read.shapes.get(k))));
        return OptimizerStates.fromTensorFile(TensorFile.of(floats, read.metadata));
    }

    @Test
    void swappingToAdamwAndBackKeepsTheMoments() throws IOException {
        List<Parameter> ps = Fixture.model(5);
        Optimizer velvet = new VelvetFactory().create(ps, VELVET_ALL);
        Fixture.run(velvet, ps, 1, 12);
        OptimizerState fromVelvet = throughFile(velvet.exportState());

        Optimizer adamw = new AdamWFactory().create(ps, Map.of("lr", 1e-2));
        adamw.importState(fromVelvet);
        OptimizerState taken = adamw.exportState();
        sameMoments(fromVelvet, taken);
        assertEquals(12, taken.step());
        assertEquals(fromVelvet.metadata().get(StateKeys.BETA1_PRODUCT), taken.metadata().get(StateKeys.BETA1_PRODUCT));
        assertEquals(fromVelvet.metadata().get(StateKeys.LOSS_MEAN), taken.metadata().get(StateKeys.LOSS_MEAN));

        Fixture.run(adamw, ps, 13, 20);
        OptimizerState fromAdamw = throughFile(adamw.exportState());
        Optimizer back = new VelvetFactory().create(ps, VELVET_ALL);
        back.importState(fromAdamw);
        sameMoments(fromAdamw, back.exportState());
        assertEquals(20, back.exportState().step());
        Fixture.run(back, ps, 21, 25);
        assertEquals(25, back.lastStats().step());
    }

    @Test
    void aSwapInTheMiddleOfAdamwLosesNothing() {
        List<Parameter> straight = Fixture.model(8);
        Fixture.run(new AdamWFactory().create(straight, Map.of("lr", 1e-2)), straight, 1, 30);

        List<Parameter> ps = Fixture.model(8);
        Optimizer adamw = new AdamWFactory().create(ps, Map.of("lr", 1e-2));
        Fixture.run(adamw, ps, 1, 10);
        Optimizer velvet = new VelvetFactory().create(ps, Map.of("lr", 1e-2, "features", "none"));
        velvet.importState(adamw.exportState());
        Fixture.run(velvet, ps, 11, 20);
        Optimizer again = new AdamWFactory().create(ps, Map.of("lr", 1e-2));
        again.importState(velvet.exportState());
        Fixture.run(again, ps, 21, 30);
        assertTrue(Fixture.sameBits(Fixture.values(straight), Fixture.values(ps)));
    }

    @Test
    void adamwStateGivesVelvetTheBiasCorrectionOfAdamw() {
        List<Parameter> ps = Fixture.model(4);
        Optimizer adamw = new AdamWFactory().create(ps, Map.of("lr", 1e-2));
        Fixture.run(adamw, ps, 1, 9);
        double product = Double.parseDouble(adamw.exportState().metadata().get(StateKeys.BETA1_PRODUCT));
        assertEquals(Math.pow(0.9, 9), product, 1e-15);
        Optimizer velvet = new VelvetFactory().create(ps, VELVET_ALL);
        velvet.importState(adamw.exportState());
        assertEquals(Double.toString(product), velvet.exportState().metadata().get(StateKeys.BETA1_PRODUCT));
    }

    @Test
    void incompatibleStatesAreRefusedByNameAndChangeNothing() {
        List<Parameter> twin = Fixture.model(21);
        Optimizer reference = new VelvetFactory().create(twin, VELVET_ALL);
        Fixture.run(reference, twin, 1, 6);

        List<Parameter> ps = Fixture.model(21);
        Optimizer velvet = new VelvetFactory().create(ps, VELVET_ALL);
        Fixture.run(velvet, ps, 1, 6);
        OptimizerState good = new AdamWFactory().create(Fixture.model(2), Map.of()).exportState();
        String wq = "layers.0.attn.wq.weight";

        refused(velvet, new OptimizerState("sgd", 3, good.tensors(), good.metadata()), "'sgd'");
        refused(velvet, edit(good, t -> {
            t.remove(wq + ".exp_avg_sq");
            return t;
        }), wq + ".exp_avg_sq");
        refused(velvet, edit(good, t -> {
            t.put(wq + ".exp_avg", new float[7]);
            return t;
        }), wq + ".exp_avg");
        refused(velvet, edit(good, t -> {
            t.put("layers.9.attn.wq.weight.exp_avg", new float[256]);
            return t;
        }), "layers.9.attn.wq.weight.exp_avg");
        Map<String, String> badMeta = new LinkedHashMap<>(good.metadata());
        badMeta.put(StateKeys.BETA1_PRODUCT, "lots");
        refused(velvet, new OptimizerState("adamw", 3, good.tensors(), badMeta), StateKeys.BETA1_PRODUCT);
        // a frozen parameter has no state: offering one for it is refused too
        refused(velvet, edit(good, t -> {
            t.put("layers.0.ffn.w1.lora_a.exp_avg", new float[64]);
            return t;
        }), "layers.0.ffn.w1.lora_a.exp_avg");

        Fixture.run(reference, twin, 7, 12);
        Fixture.run(velvet, ps, 7, 12);
        assertTrue(Fixture.sameBits(Fixture.values(twin), Fixture.values(ps)), "a refused import changed the optimizer");
        assertEquals(12, velvet.lastStats().step());
    }

    private static void refused(Optimizer opt, OptimizerState state, String named) {
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class, () -> opt.importState(state));
        assertTrue(e.getMessage().contains(named), "message should name " + named + ": " + e.getMessage());
    }

    private static OptimizerState edit(OptimizerState s, UnaryOperator<Map<String, float[]>> change) {
        return new OptimizerState(s.optimizer(), 3, change.apply(new LinkedHashMap<>(s.tensors())), s.metadata());
    }

    private static void sameMoments(OptimizerState a, OptimizerState b) {
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        assertTrue(a.tensors().keySet().contains("layers.0.attn.wq.weight.exp_avg"));
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.tensors().get(name), b.tensors().get(name), name);
        }
    }
}
