/** Model I/O: tensor files (SafeTensors), checkpoints and exporters. */
@Export
@Version("1.3.0")
package dev.vesper.api.io;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
