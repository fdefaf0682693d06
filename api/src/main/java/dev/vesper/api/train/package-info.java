/** Training jobs: configuration, control, status, events and listeners. */
@Export
@Version("1.4.0")
package dev.vesper.api.train;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
