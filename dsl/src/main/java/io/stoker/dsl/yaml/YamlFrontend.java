package io.stoker.dsl.yaml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.TokenStreamFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stoker.dsl.Frontend;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads {@code Jobfile.yaml} or {@code Jobfile.json} (the same schema, see docs/jobfile-yaml.md) into a draft, with
 * line:col for every value. Input is limited to {@value #MAX_CHARS} characters and {@value #MAX_DEPTH} levels.
 */
public final class YamlFrontend implements Frontend {
    public static final int MAX_CHARS = 1 << 20;
    public static final int MAX_DEPTH = 32;

    private final TokenStreamFactory factory;

    /** The YAML front end. */
    public YamlFrontend() {
        this(yamlFactory());
    }

    private YamlFrontend(TokenStreamFactory factory) {
        this.factory = factory;
    }

    public static YamlFrontend yaml() {
        return new YamlFrontend();
    }

    public static YamlFrontend json() {
        return new YamlFrontend(JsonFactory.builder().streamReadConstraints(constraints()).build());
    }

    @Override
    public JobfileDraft read(String file, String text) {
        var draft = new JobfileDraft(file);
        if (text.length() > MAX_CHARS) {
            draft.diagnostics.add(Diagnostic.error(file, Pos.NONE, "the Jobfile is larger than 1 MiB"));
            return draft;
        }
        new TreeReader(factory, file, text, draft.diagnostics).read(text).ifPresent(root -> new DraftReader(draft).read(root));
        return draft;
    }

    private static YAMLFactory yamlFactory() {
        var loader = new LoaderOptions();
        loader.setCodePointLimit(MAX_CHARS + 1);
        loader.setMaxAliasesForCollections(10);
        loader.setNestingDepthLimit(MAX_DEPTH);
        loader.setAllowDuplicateKeys(true); // the tree reader reports them with a position
        // YAML 1.2 booleans only (true, false): YAML 1.1's yes/no/on/off/y/n stay words, as in a Groovy Jobfile (a
        // matrix axis [on, off] or COUNTRY: NO turned silently into true/false)
        return YAMLFactory.builder().loaderOptions(loader).streamReadConstraints(constraints())
                .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS).build();
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_CHARS)
                .maxNumberLength(64).maxNameLength(1024).maxDocumentLength(4L * MAX_CHARS).build();
    }
}
