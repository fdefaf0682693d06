/** Optimizers, their factories, exportable state and learning-rate schedules. */
@Export
@Version("1.0.0")
package dev.vesper.api.optim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
