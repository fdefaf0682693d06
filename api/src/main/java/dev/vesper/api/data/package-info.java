/** Dataset sources, documents, tokenizers and batches of token ids. */
@Export
@Version("1.5.0")
package dev.vesper.api.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
