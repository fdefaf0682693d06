package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementsTest {
    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertEquals(List.of("load /a/b", "meta train --steps 5", "generate Once upon"),
                Statements.split("load /a/b ; meta train --steps 5;generate Once upon"));
        assertEquals(List.of("generate 'a; b'", "generate \"c; d\""), Statements.split("generate 'a; b' ; generate \"c; d\""));
        assertEquals(List.of("each [1 2] { echo $it; echo x }", "info"), Statements.split("each [1 2] { echo $it; echo x } ; info"));
        assertEquals(List.of("generate a\\; b"), Statements.split("generate a\\; b"));
        assertEquals(List.of("info"), Statements.split(" ; info ;; "));
        assertEquals(List.of(), Statements.split("   "));
    }

    @Test
    void findsTheFirstTopLevelSeparator() {
        assertEquals(13, Statements.firstTopLevel("train --help | grep lr ; info", ";|"));
        assertEquals(23, Statements.firstTopLevel("train --help | grep lr ; info", ";"));
        assertEquals(20, Statements.firstTopLevel("echo 'a|b' \\| {x|y} | more", "|"), "after a quote, an escape, a block");
        assertEquals(4, Statements.firstTopLevel("info", "|"));
    }
}
