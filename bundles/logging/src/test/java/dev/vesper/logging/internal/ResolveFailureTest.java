package dev.vesper.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolveFailureTest {
    /** What Felix 7 reports, as File Install logs it, for a plug-in built against a newer API. */
    private static final String NEWER_API = "BundleException: Unable to resolve org.acme.newapi [36](R 36.0): missing"
            + " requirement [org.acme.newapi [36](R 36.0)] osgi.wiring.package; (&(osgi.wiring.package=dev.vesper.api.model)"
            + "(version>=1.9.0)(!(version>=2.0.0))) Unresolved requirements: [[org.acme.newapi [36](R 36.0)]"
            + " osgi.wiring.package; (&(osgi.wiring.package=dev.vesper.api.model)(version>=1.9.0)(!(version>=2.0.0)))]";

    @Test
    void aPluginBuiltAgainstANewerApiIsToldWhichVersionThisVesperHas() {
        assertTrue(ResolveFailure.is(NEWER_API));
        String line = ResolveFailure.explain(NEWER_API,
                Map.of("dev.vesper.api.model", List.of("1.3.0 (dev.vesper.vesper-api)"))::get);
        assertEquals("bundle org.acme.newapi [36] cannot start: it imports package dev.vesper.api.model in version"
                + " [1.9.0, 2.0.0), and this Vesper has 1.3.0 (dev.vesper.vesper-api): build the plug-in against it;"
                + " it stays installed, unused (lb), until it or what it needs changes", line);
    }

    @Test
    void aLibraryNotEmbeddedIsNamed() {
        String missing = "BundleException: Unable to resolve org.acme.sgdm [41](R 41.0): missing requirement"
                + " [org.acme.sgdm [41](R 41.0)] osgi.wiring.package; (&(osgi.wiring.package=org.apache.commons.math3.linear)"
                + "(version>=3.6.0)(!(version>=4.0.0))) Unresolved requirements: [...]";
        assertEquals("bundle org.acme.sgdm [41] cannot start: it imports package org.apache.commons.math3.linear in"
                + " version [3.6.0, 4.0.0), which no bundle here exports: embed the library that has it in the plug-in,"
                + " or put a bundle that exports it in deploy/; it stays installed, unused (lb), until it or what it"
                + " needs changes", ResolveFailure.explain(missing, name -> List.of()));
        String unversioned = "BundleException: Unable to resolve x [7](R 7.0): missing requirement [x [7](R 7.0)]"
                + " osgi.wiring.package; (osgi.wiring.package=com.example.util) Unresolved requirements: [...]";
        assertTrue(ResolveFailure.explain(unversioned, name -> List.of())
                .startsWith("bundle x [7] cannot start: it imports package com.example.util, which no bundle here"), unversioned);
    }

    @Test
    void anotherKindOfRequirementIsQuotedAndOtherFailuresAreLeftAlone() {
        String ee = "BundleException: Unable to resolve y [9](R 9.0): missing requirement [y [9](R 9.0)] osgi.ee;"
                + " (&(osgi.ee=JavaSE)(version=21)) Unresolved requirements: [...]";
        assertEquals("bundle y [9] cannot start: nothing here meets its requirement osgi.ee; (&(osgi.ee=JavaSE)(version=21));"
                + " it stays installed, unused (lb), until it or what it needs changes", ResolveFailure.explain(ee, n -> List.of()));
        assertFalse(ResolveFailure.is("IllegalStateException: constructor blew up on purpose"));
        assertNull(ResolveFailure.explain("BundleException: Activator start error", n -> List.of()));
    }
}
