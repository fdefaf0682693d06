/** Metacognition: assessment of hidden states and regulation of generation. */
@Export
@Version("1.2.0")
package dev.vesper.api.metacog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
