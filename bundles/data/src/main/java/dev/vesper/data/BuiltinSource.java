package dev.vesper.data;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.data.builtin.StoryCorpus;
import dev.vesper.data.internal.Hashing;
import dev.vesper.data.internal.Tally;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;

/**
 * Corpora built in, needing no download: {@code builtin:stories}, optionally
 * {@code builtin:stories?count=N&seed=S} (defaults {@link StoryCorpus#DEFAULT_STORIES} and
 * {@link StoryCorpus#DEFAULT_SEED}). Each story is one document.
 */
@Component(service = DatasetSource.class, property = DatasetSource.PROPERTY + "=builtin")
public class BuiltinSource implements DatasetSource {
    private static final String VERSION = "stories-v2"; // change it whenever the generator changes

    public BuiltinSource() {
    }

    @Override
    public String scheme() {
        return "builtin";
    }

    @Override
    public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) {
        Spec spec = Spec.parse(location);
        StoryCorpus corpus = new StoryCorpus(spec.seed);
        Tally tally = new Tally(sink, options);
        for (int i = 0; i < spec.count; i++) {
            tally.accept(Document.text(corpus.story(i), "builtin:stories#" + i));
        }
        return tally.summary(fingerprint(location, options));
    }

    @Override
    public String fingerprint(String location, ReadOptions options) {
        Spec spec = Spec.parse(location);
        StoryCorpus corpus = new StoryCorpus(spec.seed);
        // two stories stand in for the generator's text, should it change without a new VERSION
        return Hashing.sha256(VERSION + "|" + spec.count + "|" + spec.seed + "|" + corpus.story(0) + "|"
                + corpus.story(spec.count - 1));
    }

    private static final class Spec {
        int count = StoryCorpus.DEFAULT_STORIES;
        long seed = StoryCorpus.DEFAULT_SEED;

        static Spec parse(String location) {
            String rest = location.startsWith("builtin:") ? location.substring("builtin:".length()) : location;
            while (rest.startsWith("/")) {
                rest = rest.substring(1);
            }
            String name = rest;
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                name = rest.substring(0, q);
                query = rest.substring(q + 1);
            }
            if (!name.equals("stories")) {
                throw new IllegalArgumentException("unknown built-in corpus \"" + name + "\" in " + location
                        + " (available: builtin:stories)");
            }
            Spec s = new Spec();
            for (String kv : query.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                String[] p = kv.split("=", 2);
                try {
                    if (p[0].equals("count") && p.length == 2) {
                        s.count = Integer.parseInt(p[1]);
                        if (s.count < 1) {
                            throw new NumberFormatException();
                        }
                    } else if (p[0].equals("seed") && p.length == 2) {
                        s.seed = Long.parseLong(p[1]);
                    } else {
                        throw new IllegalArgumentException("unknown parameter \"" + kv + "\" in " + location
                                + " (known: count, seed)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value in \"" + kv + "\" in " + location, e);
                }
            }
            return s;
        }
    }
}
