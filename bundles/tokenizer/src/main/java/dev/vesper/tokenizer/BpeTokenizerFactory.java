package dev.vesper.tokenizer;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.data.TokenizerFactory;
import dev.vesper.tokenizer.internal.BpeTokenizer;
import dev.vesper.tokenizer.internal.BpeTrainer;
import dev.vesper.tokenizer.internal.ByteLevel;
import dev.vesper.tokenizer.internal.TokenizerJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Byte-level BPE (GPT-2 pre-tokenization) and byte tokenizers, compatible with Hugging Face
 * {@code tokenizer.json}. Usable without OSGi: {@code new BpeTokenizerFactory()}.
 */
@Component(service = TokenizerFactory.class)
public class BpeTokenizerFactory implements TokenizerFactory {

    public BpeTokenizerFactory() {
    }

    @Override
    public Tokenizer trainBpe(Iterable<String> corpus, int vocabSize, List<String> specialTokens) {
        return new BpeTrainer().train(corpus, vocabSize, distinct(specialTokens));
    }

    @Override
    public Tokenizer bytes(List<String> specialTokens) {
        String[] vocab = new String[256];
        for (int b = 0; b < 256; b++) {
            vocab[b] = String.valueOf(ByteLevel.charOf(b));
        }
        List<BpeTokenizer.Added> added = new ArrayList<>();
        for (String s : distinct(specialTokens)) {
            added.add(new BpeTokenizer.Added(256 + added.size(), s, true));
        }
        return new BpeTokenizer("byte", vocab, new int[0][], added, BpeTokenizer.Options.gpt2());
    }

    @Override
    public Tokenizer fromJson(String json, String source) {
        return TokenizerJson.read(json, source);
    }

    private static List<String> distinct(List<String> specials) {
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String s : specials == null ? List.<String>of() : specials) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("special tokens must be non-empty");
            }
            set.add(s);
        }
        return new ArrayList<>(set);
    }
}
