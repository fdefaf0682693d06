/**
 * Vector API arithmetic that gives the same bits interpreted and JIT-compiled: fixed-order lane sums and
 * exp/tanh from exact lane-wise operations, so that seeded runs repeat exactly.
 */
@Export
@Version("1.0.0")
package dev.vesper.lanemath;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
