/** Language models, their configuration, activation functions and text generation. */
@Export
@Version("1.3.0")
package dev.vesper.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
