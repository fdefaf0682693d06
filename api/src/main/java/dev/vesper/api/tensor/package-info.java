/** Tensors, parameters and the compute backend SPI that the CPU and CUDA bundles implement. */
@Export
@Version("1.0.0")
package dev.vesper.api.tensor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
