/**
 * Files written whole or not at all, for every bundle that saves something a user keeps: checkpoints,
 * exports, tokenizers, charts, caches; and run folders claimed in one step ({@link FreshFolders}), so
 * that two runs started in the same second do not share one.
 */
@Export
@Version("1.1.0")
package dev.vesper.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
