/**
 * Files written whole or not at all, for every bundle that saves something a user keeps: checkpoints,
 * exports, tokenizers, charts, caches.
 */
@Export
@Version("1.1.0")
package dev.vesper.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
