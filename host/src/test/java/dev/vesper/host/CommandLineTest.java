package dev.vesper.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void wordsStayWordsAndSpecialCharactersAreQuoted() {
        assertEquals("generate --max-tokens 20 Once upon", CommandLine.join(new String[] {"generate", "--max-tokens", "20", "Once", "upon"}));
        assertEquals("generate 'Once upon a time'", CommandLine.join(new String[] {"generate", "Once upon a time"}));
        assertEquals("generate \"it's \\$5\"", CommandLine.join(new String[] {"generate", "it's $5"}));
        assertEquals("load 'a;b'", CommandLine.join(new String[] {"load", "a;b"}));
        assertEquals("echo ''", CommandLine.join(new String[] {"echo", ""}));
        assertEquals("data inspect 'hf://datasets/o/n/*.jsonl'", CommandLine.join(new String[] {"data", "inspect", "hf://datasets/o/n/*.jsonl"}));
        assertEquals("train --data 'hf://datasets/o/n/part-?.txt'", CommandLine.join(new String[] {"train", "--data", "hf://datasets/o/n/part-?.txt"}));
    }

    @Test
    void aLoneSemicolonSeparatesCommands() {
        assertEquals("load runs/x ; generate Once", CommandLine.join(new String[] {"load", "runs/x", ";", "generate", "Once"}));
    }
}
