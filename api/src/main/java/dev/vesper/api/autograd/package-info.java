/** Reverse-mode automatic differentiation: a graph (tape) of tensor operations and its backward pass. */
@Export
@Version("1.0.0")
package dev.vesper.api.autograd;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
