/**
 * What the optimizer bundles and the trainer share: the fused Adam kernel and the {@link
 * dev.vesper.optim.support.AdamEngine} that holds the moments, learning-rate {@link
 * dev.vesper.optim.support.Schedules}, global gradient-norm {@link
 * dev.vesper.optim.support.GradientClipping}, option parsing and the names of exported state.
 */
@Export
@Version("1.0.0")
package dev.vesper.optim.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
