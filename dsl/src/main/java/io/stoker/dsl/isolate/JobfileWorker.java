package io.stoker.dsl.isolate;

import io.stoker.dsl.CompileResult;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The child side of {@link IsolatedJobfileCompiler}: warms up, reads one JSON request from stdin, compiles it and
 * writes the result as JSON to stdout, then exits. One JVM serves one compile, so nothing a Jobfile did survives it.
 */
public final class JobfileWorker {
    private JobfileWorker() {
    }

    public static void main(String[] args) throws IOException {
        OutputStream out = System.out;
        // anything a Jobfile manages to print must not corrupt the answer
        System.setOut(new PrintStream(System.err, true));
        var mapper = WireFormat.mapper();
        var compiler = new JobfileCompiler(io.stoker.dsl.groovy.GroovyLimits.fromSystemProperty());
        // up: the server's time limit for the request counts from here (whitespace before the JSON answer)
        out.write('\n');
        out.flush();
        // a pooled worker warms up while it waits; a worker started for a request already waiting goes straight to it
        if (System.in.available() == 0) warmUp(compiler, mapper);

        byte[] request = readBounded(System.in, WireFormat.MAX_REQUEST_BYTES);
        CompileResult result;
        if (request == null) {
            result = rejected("the Jobfile request is larger than " + (WireFormat.MAX_REQUEST_BYTES >> 20) + " MiB");
        } else if (request.length == 0) {
            System.exit(0); // the pool closed without a request
            return;
        } else {
            WireFormat.Request parsed;
            try {
                parsed = mapper.readValue(request, WireFormat.Request.class);
            } catch (IOException e) {
                parsed = null;
            }
            result = parsed == null || parsed.file() == null || parsed.text() == null
                    ? rejected("malformed Jobfile request")
                    : compiler.compile(parsed.file(), parsed.text());
        }
        out.write(mapper.writeValueAsBytes(WireFormat.Response.of(result)));
        out.flush();
        System.exit(0);
    }

    /** Loads and runs the compile path once before the request arrives, so a pooled worker answers fast. */
    private static void warmUp(JobfileCompiler compiler, com.fasterxml.jackson.databind.ObjectMapper mapper) throws IOException {
        var yaml = compiler.compile("warm-up.yaml",
                "jobs: {w: {tasks: {a: {sh: 'echo ${{ run.branch }}'}, b: {needs: a, when: 'success()', sh: x}}}}");
        mapper.writeValueAsBytes(WireFormat.Response.of(yaml));
        mapper.readValue(mapper.writeValueAsBytes(WireFormat.Response.of(yaml)), WireFormat.Response.class);
        compiler.compile("Jobfile", "job('w') { task('a') { sh 'true' } }");
        // what the warm-up left behind is garbage but for the compiler's caches: a full collection now, while
        // nobody waits, lets the heap shrink to them (-XX:-ShrinkHeapInSteps) before the worker idles in the pool
        System.gc();
    }

    /** All of {@code in}, or null when it is longer than {@code max}. */
    static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] data = in.readNBytes(max + 1);
        return data.length > max ? null : data;
    }

    private static CompileResult rejected(String message) {
        return new CompileResult.Rejected(List.of(Diagnostic.error("Jobfile", Pos.NONE, message)));
    }
}
