package dev.vesper.api.data;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Everything between a dataset location and batches: it picks the {@link DatasetSource} for the
 * location's scheme, tokenizes once into a memory-mapped token cache, and splits by document.
 */
@ProviderType
public interface DataService {
    /** The schemes of the sources installed now. */
    List<String> schemes();

    /** Streams the documents at {@code location} through the source for its scheme. */
    ReadSummary documents(String location, ReadOptions options, Consumer<Document> sink) throws IOException;

    /**
     * The tokenized dataset for {@code location}, from the cache when source and tokenizer are
     * unchanged, otherwise built (atomically) first.
     */
    TokenDataset tokens(String location, ReadOptions options, Tokenizer tokenizer, DatasetOptions datasetOptions)
            throws IOException;
}
