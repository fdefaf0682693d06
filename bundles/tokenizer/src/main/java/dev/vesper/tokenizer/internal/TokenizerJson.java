package dev.vesper.tokenizer.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face {@code tokenizer.json} form: model type BPE, ByteLevel pre-tokenizer and decoder,
 * no normalizer. Anything that would change the ids Hugging Face produces and that is not
 * implemented here (normalizers, templates, dropout, subword prefixes) is refused by name.
 */
public final class TokenizerJson {
    /*
     * Every token is a vocab key (a JSON name) and half of a merge string, and a trained token can be
     * as long as the longest pre-token of its corpus (a line of Chinese without spaces is one word),
     * so Jackson's default limits (names of 50,000 chars, strings of 20M) refuse files Vesper wrote.
     * Names and strings are bounded only by what a Java String holds; nesting keeps its default.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build());

    private TokenizerJson() {
    }

    public static String write(BpeTokenizer t) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            BpeTokenizer.Options o = t.options();
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeNullField("truncation");
            g.writeNullField("padding");
            writeAddedTokens(g, t);
            g.writeNullField("normalizer");
            g.writeObjectFieldStart("pre_tokenizer");
            writeByteLevel(g, o.addPrefixSpace(), o.trimOffsets(), o.useRegex());
            g.writeNullField("post_processor");
            g.writeObjectFieldStart("decoder");
            writeByteLevel(g, true, true, true);
            writeModel(g, t);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeAddedTokens(JsonGenerator g, BpeTokenizer t) throws IOException {
        g.writeArrayFieldStart("added_tokens");
        for (BpeTokenizer.Added a : t.added()) {
            g.writeStartObject();
            g.writeNumberField("id", a.id());
            g.writeStringField("content", a.content());
            g.writeBooleanField("single_word", false);
            g.writeBooleanField("lstrip", false);
            g.writeBooleanField("rstrip", false);
            g.writeBooleanField("normalized", false);
            g.writeBooleanField("special", a.special());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The {@code model} object: BPE with its options, the vocabulary and the merges in rank order. */
    private static void writeModel(JsonGenerator g, BpeTokenizer t) throws IOException {
        BpeTokenizer.Options o = t.options();
        g.writeObjectFieldStart("model");
        g.writeStringField("type", "BPE");
        g.writeNullField("dropout");
        if (o.unkToken() == null) {
            g.writeNullField("unk_token");
        } else {
            g.writeStringField("unk_token", o.unkToken());
        }
        g.writeNullField("continuing_subword_prefix");
        g.writeNullField("end_of_word_suffix");
        g.writeBooleanField("fuse_unk", o.fuseUnk());
        g.writeBooleanField("byte_fallback", false);
        g.writeBooleanField("ignore_merges", o.ignoreMerges());
        g.writeObjectFieldStart("vocab");
        String[] vocab = t.vocab();
        for (int id = 0; id < vocab.length; id++) {
            if (vocab[id] != null) {
                g.writeNumberField(vocab[id], id);
            }
        }
        g.writeEndObject();
        g.writeArrayFieldStart("merges");
        for (int[] m : t.merges()) {
            g.writeString(vocab[m[0]] + " " + vocab[m[1]]);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeByteLevel(JsonGenerator g, boolean prefix, boolean trim, boolean regex) throws IOException {
        g.writeStringField("type", "ByteLevel");
        g.writeBooleanField("add_prefix_space", prefix);
        g.writeBooleanField("trim_offsets", trim);
        g.writeBooleanField("use_regex", regex);
        g.writeEndObject();
    }

    /** Parses tokenizer.json text; errors name {@code source} and the field at fault. */
    public static BpeTokenizer read(String json, String source) {
        JsonNode root = parse(json, source);
        if (root == null || !root.isObject()) {
            throw bad(source, "(root)", "expected a JSON object");
        }
        requireNull(root, "normalizer", source);
        requireNull(root, "truncation", source);
        requireNull(root, "padding", source);
        JsonNode post = root.get("post_processor");
        if (post != null && !post.isNull() && !"ByteLevel".equals(post.path("type").asText())) {
            throw bad(source, "post_processor", "type " + post.path("type").asText() + " is not supported (only null or ByteLevel)");
        }
        JsonNode decoder = root.get("decoder");
        if (decoder != null && !decoder.isNull() && !"ByteLevel".equals(decoder.path("type").asText())) {
            throw bad(source, "decoder", "type " + decoder.path("type").asText() + " is not supported (only ByteLevel)");
        }
        JsonNode pre = byteLevel(root.get("pre_tokenizer"), source);
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw bad(source, "model", "missing");
        }
        String type = model.path("type").asText("BPE");
        if (!"BPE".equals(type)) {
            throw bad(source, "model.type", type + " is not supported (only BPE)");
        }
        JsonNode dropout = model.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0) {
            throw bad(source, "model.dropout", "BPE dropout is not supported");
        }
        for (String f : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            JsonNode v = model.get(f);
            if (v != null && !v.isNull() && !v.asText().isEmpty()) {
                throw bad(source, "model." + f, "is not supported with byte-level BPE");
            }
        }
        if (model.path("byte_fallback").asBoolean(false)) {
            throw bad(source, "model.byte_fallback", "is not supported with byte-level BPE");
        }
        String[] vocab = readVocab(model.get("vocab"), source);
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int id = 0; id < vocab.length; id++) {
            if (vocab[id] != null) {
                ids.put(vocab[id], id);
            }
        }
        int[][] merges = readMerges(model.get("merges"), ids, source);
        List<BpeTokenizer.Added> added = readAdded(root.get("added_tokens"), source);
        requireOwnIds(vocab, added, source);
        requireNoGaps(vocab, added, source);
        JsonNode unk = model.get("unk_token");
        BpeTokenizer.Options options = new BpeTokenizer.Options(
                pre.path("add_prefix_space").asBoolean(false),
                pre.path("trim_offsets").asBoolean(true),
                pre.path("use_regex").asBoolean(true),
                model.path("ignore_merges").asBoolean(false),
                unk == null || unk.isNull() ? null : unk.asText(),
                model.path("fuse_unk").asBoolean(false));
        return new BpeTokenizer(isBytes(vocab, merges) ? "byte" : "bpe", vocab, merges, added, options);
    }

    private static JsonNode parse(String json, String source) {
        JsonParser p;
        try {
            p = MAPPER.createParser(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (p) {
            return MAPPER.readTree(p);
        } catch (JsonProcessingException e) {
            // a limit exceeded (StreamConstraintsException) carries no location: the parser knows it
            JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
            throw new IllegalArgumentException(source + ":" + at.getLineNr() + ":" + at.getColumnNr()
                    + ": not valid JSON: " + plain(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jackson's message without its internals: nested locations ("[Source: REDACTED (...); line: 1,
     * column: 7]") become "line 1, column 7", and limit names ("from `StreamReadConstraints...`") go.
     */
    private static String plain(String message) {
        return message
                .replaceAll("\\[Source: [^\\]]*?; line: (-?\\d+), column: (-?\\d+)\\]", "line $1, column $2")
                .replaceAll(", from `[^`]*`", "");
    }

    private static boolean isBytes(String[] vocab, int[][] merges) {
        if (merges.length != 0 || vocab.length != 256) {
            return false;
        }
        for (int b = 0; b < 256; b++) {
            if (!String.valueOf(ByteLevel.charOf(b)).equals(vocab[b])) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode byteLevel(JsonNode pre, String source) {
        if (pre == null || pre.isNull()) {
            throw bad(source, "pre_tokenizer", "missing (a ByteLevel pre-tokenizer is required)");
        }
        if ("Sequence".equals(pre.path("type").asText()) && pre.path("pretokenizers").size() == 1) {
            pre = pre.path("pretokenizers").get(0);
        }
        if (!"ByteLevel".equals(pre.path("type").asText())) {
            throw bad(source, "pre_tokenizer", "type " + pre.path("type").asText() + " is not supported (only ByteLevel)");
        }
        return pre;
    }

    private static String[] readVocab(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw bad(source, "model.vocab", "missing or not an object");
        }
        int max = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw bad(source, "model.vocab[\"" + e.getKey() + "\"]", "id must be a non-negative integer");
            }
            max = Math.max(max, e.getValue().asInt());
        }
        String[] vocab = new String[max + 1];
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt();
            if (vocab[id] != null) {
                throw bad(source, "model.vocab[\"" + e.getKey() + "\"]", "id " + id + " is also used by \"" + vocab[id] + "\"");
            }
            vocab[id] = e.getKey();
        }
        return vocab;
    }

    /**
     * Every id below the vocabulary size must be a token: a model predicts over all of them, and an id
     * with no token would fail only when sampling hits it, long after training, without naming the file.
     */
    private static void requireNoGaps(String[] vocab, List<BpeTokenizer.Added> added, String source) {
        int size = vocab.length;
        for (BpeTokenizer.Added a : added) {
            size = Math.max(size, a.id() + 1);
        }
        boolean[] used = new boolean[size];
        for (int id = 0; id < vocab.length; id++) {
            used[id] = vocab[id] != null;
        }
        added.forEach(a -> used[a.id()] = true);
        List<Integer> missing = new ArrayList<>();
        for (int id = 0; id < size; id++) {
            if (!used[id]) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw bad(source, "model.vocab", "no token has id" + (missing.size() == 1 ? " " : "s ") + ids(missing)
                    + " (ids must run from 0 to " + (size - 1) + " without gaps, in model.vocab or added_tokens)");
        }
    }

    /**
     * An added token may repeat a vocabulary entry (Hugging Face lists {@code <|endoftext|>} in both), not take the
     * id of another: decoding that id would give the added token, and the vocabulary's token would be lost.
     */
    private static void requireOwnIds(String[] vocab, List<BpeTokenizer.Added> added, String source) {
        for (int i = 0; i < added.size(); i++) {
            BpeTokenizer.Added a = added.get(i);
            String there = a.id() < vocab.length ? vocab[a.id()] : null;
            if (there != null && !there.equals(a.content())) {
                throw bad(source, "added_tokens[" + i + "]", "id " + a.id() + " is taken by \"" + there
                        + "\" in model.vocab; give \"" + a.content() + "\" an id of its own");
            }
        }
    }

    /** "5", "5, 9", or the first ten and how many more. */
    private static String ids(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(10, ids.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids.get(i));
        }
        return ids.size() <= 10 ? sb.toString() : sb + " and " + (ids.size() - 10) + " more";
    }

    private static int[][] readMerges(JsonNode node, Map<String, Integer> ids, String source) {
        if (node == null || node.isNull()) {
            return new int[0][];
        }
        if (!node.isArray()) {
            throw bad(source, "model.merges", "not an array");
        }
        int[][] merges = new int[node.size()][];
        for (int i = 0; i < merges.length; i++) {
            JsonNode m = node.get(i);
            String left;
            String right;
            if (m.isTextual()) {
                String[] parts = m.asText().split(" ", -1);
                if (parts.length != 2) {
                    throw bad(source, "model.merges[" + i + "]", "\"" + m.asText() + "\" is not two tokens separated by one space");
                }
                left = parts[0];
                right = parts[1];
            } else if (m.isArray() && m.size() == 2) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                throw bad(source, "model.merges[" + i + "]", "expected \"a b\" or [\"a\", \"b\"]");
            }
            merges[i] = new int[] {
                id(ids, left, source, i), id(ids, right, source, i), id(ids, left + right, source, i)};
        }
        return merges;
    }

    private static int id(Map<String, Integer> ids, String token, String source, int merge) {
        Integer id = ids.get(token);
        if (id == null) {
            throw bad(source, "model.merges[" + merge + "]", "\"" + token + "\" is not in the vocabulary");
        }
        return id;
    }

    private static List<BpeTokenizer.Added> readAdded(JsonNode node, String source) {
        List<BpeTokenizer.Added> added = new ArrayList<>();
        if (node == null || node.isNull()) {
            return added;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode a = node.get(i);
            String where = "added_tokens[" + i + "]";
            if (!a.path("id").canConvertToInt() || a.path("id").asInt() < 0 || !a.path("content").isTextual()
                    || a.path("content").asText().isEmpty()) {
                throw bad(source, where, "needs a non-negative id and a non-empty content");
            }
            for (String f : new String[] {"single_word", "lstrip", "rstrip"}) {
                if (a.path(f).asBoolean(false)) {
                    throw bad(source, where + "." + f, "true is not supported");
                }
            }
            added.add(new BpeTokenizer.Added(a.get("id").asInt(), a.get("content").asText(), a.path("special").asBoolean(false)));
        }
        return added;
    }

    private static void requireNull(JsonNode root, String field, String source) {
        JsonNode v = root.get(field);
        if (v != null && !v.isNull()) {
            throw bad(source, field, "is not supported (must be null)");
        }
    }

    private static IllegalArgumentException bad(String source, String field, String reason) {
        return new IllegalArgumentException(source + ": " + field + ": " + reason);
    }
}
