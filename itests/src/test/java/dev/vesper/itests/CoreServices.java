package dev.vesper.itests;

import java.util.List;

/** The service kinds a complete Vesper runtime registers. */
final class CoreServices {
    static final List<String> KINDS = List.of(
            "dev.vesper.api.tensor.ComputeBackend",
            "dev.vesper.api.autograd.Autograd",
            "dev.vesper.api.model.ModelFactory",
            "dev.vesper.api.model.Activation",
            "dev.vesper.api.optim.OptimizerFactory",
            "dev.vesper.api.data.TokenizerFactory",
            "dev.vesper.api.data.DatasetSource",
            "dev.vesper.api.data.DataService",
            "dev.vesper.api.io.TensorFileFormat",
            "dev.vesper.api.io.CheckpointStore",
            "dev.vesper.api.train.TrainingService",
            "org.osgi.service.log.LogReaderService",
            "org.osgi.service.cm.ConfigurationAdmin",
            "org.osgi.service.event.EventAdmin");

    private CoreServices() {
    }
}
