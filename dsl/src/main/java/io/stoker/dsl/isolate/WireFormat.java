package io.stoker.dsl.isolate;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stoker.dsl.CompileResult;
import io.stoker.model.Diagnostic;
import io.stoker.model.Jobfile;

import java.util.List;

/**
 * The JSON spoken between the server and a {@link JobfileWorker}: a request {@code {"file":…, "text":…}} and a
 * {@link Response}. Reading is strict (unknown properties fail, depth and string lengths bounded), because the
 * worker evaluated hostile input and its answer is not trusted.
 */
final class WireFormat {
    static final int MAX_REQUEST_BYTES = 4 << 20;
    static final int MAX_RESPONSE_BYTES = 8 << 20;
    static final int MAX_DEPTH = 16;

    /** A compile request. */
    record Request(String file, String text) {
    }

    /** A compile answer: {@code jobfile} set when it compiled. */
    record Response(boolean compiled, Jobfile jobfile, List<Diagnostic> diagnostics) {
        static Response of(CompileResult result) {
            return switch (result) {
                case CompileResult.Compiled c -> new Response(true, c.jobfile(), c.diagnostics());
                case CompileResult.Rejected r -> new Response(false, null, r.diagnostics());
            };
        }
    }

    private WireFormat() {
    }

    static ObjectMapper mapper() {
        var factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(2 << 20).maxNumberLength(32).maxNameLength(256)
                .maxDocumentLength(MAX_RESPONSE_BYTES).build()).build();
        return JsonMapper.builder(factory)
                // isMatrixCell(), isError() … are derived, not data: only record components travel
                .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
