package dev.vesper.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void wordsStayWordsAndSpecialCharactersAreQuoted() {
        assertEquals("generate --max-tokens 20 Once upon", CommandLine.join(new String[] {"generate", "--max-tokens", "20", "Once", "upon"}));
        assertEquals("generate 'Once upon a time'", CommandLine.join(new String[] {"generate", "Once upon a time"}));
        assertEquals("generate 'it'\\''s $5'", CommandLine.join(new String[] {"generate", "it's $5"}));
        assertEquals("load 'a;b'", CommandLine.join(new String[] {"load", "a;b"}));
        assertEquals("echo ''", CommandLine.join(new String[] {"echo", ""}));
        assertEquals("data inspect 'hf://datasets/o/n/*.jsonl'", CommandLine.join(new String[] {"data", "inspect", "hf://datasets/o/n/*.jsonl"}));
        assertEquals("train --data 'hf://datasets/o/n/part-?.txt'", CommandLine.join(new String[] {"train", "--data", "hf://datasets/o/n/part-?.txt"}));
    }

    /** Every argument reaches the command as it was given, through Gogo's own parser. */
    @Test
    void gogoReadsBackEveryArgumentAsGiven() throws Exception {
        String[] args = {"Tom's dog", "'", "it's $x ; \"q\" *.jsonl", "don't", "a\\b", "", "plain", "x=1,y=2"};
        org.apache.felix.gogo.runtime.threadio.ThreadIOImpl io = new org.apache.felix.gogo.runtime.threadio.ThreadIOImpl();
        io.start();
        try {
            org.apache.felix.gogo.runtime.CommandProcessorImpl processor = new org.apache.felix.gogo.runtime.CommandProcessorImpl(io);
            processor.addCommand("t", new Echo(), "echo");
            org.apache.felix.service.command.CommandSession session =
                    processor.createSession(System.in, System.out, System.err);
            String[] line = new String[args.length + 1];
            line[0] = "t:echo";
            System.arraycopy(args, 0, line, 1, args.length);
            assertEquals(java.util.List.of(args), session.execute(CommandLine.join(line)));
        } finally {
            io.stop();
        }
    }

    /** Gives back its arguments. */
    public static final class Echo {
        public java.util.List<String> echo(String... args) {
            return java.util.List.of(args);
        }
    }

    @Test
    void aLoneSemicolonSeparatesCommands() {
        assertEquals("load runs/x ; generate Once", CommandLine.join(new String[] {"load", "runs/x", ";", "generate", "Once"}));
    }
}
