package io.stoker.dsl;

import io.stoker.model.Diagnostic;
import io.stoker.model.Jobfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Compiles each Jobfile once: results are kept by the SHA-256 of (syntax, text) in a bounded LRU map. Concurrent
 * requests for the same text wait for one compile. A hit under another file name is reported under that name.
 * Thread-safe.
 */
public final class CompileCache implements Compiler {
    public static final int DEFAULT_CAPACITY = 256;

    private final Compiler compiler;
    private final Map<String, CompletableFuture<CompileResult>> entries;
    private long hits;
    private long misses;

    public CompileCache(Compiler compiler) {
        this(compiler, DEFAULT_CAPACITY);
    }

    public CompileCache(Compiler compiler, int capacity) {
        this.compiler = compiler;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<CompileResult>> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public CompileResult compile(String file, String text) {
        return cached(file, text, false);
    }

    @Override
    public CompileResult compileInTurn(String file, String text) {
        return cached(file, text, true);
    }

    private CompileResult cached(String file, String text, boolean inTurn) {
        String key = key(file, text);
        CompletableFuture<CompileResult> mine = new CompletableFuture<>();
        CompletableFuture<CompileResult> existing;
        synchronized (this) {
            existing = entries.get(key);
            if (existing == null) {
                entries.put(key, mine);
                misses++;
            } else {
                hits++;
            }
        }
        if (existing != null) return renamed(existing.join(), file);
        try {
            CompileResult result = inTurn ? compiler.compileInTurn(file, text) : compiler.compile(file, text);
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                entries.remove(key, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return entries.size();
    }

    static String key(String file, String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(JobfileCompiler.Syntax.of(file).name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The cached result as if compiled under {@code file}: diagnostics and the model carry the file name. */
    private static CompileResult renamed(CompileResult result, String file) {
        boolean same = result.diagnostics().stream().allMatch(d -> d.file().equals(file))
                && !(result instanceof CompileResult.Compiled c && !c.jobfile().file().equals(file));
        if (same) return result;
        var diagnostics = result.diagnostics().stream()
                .map(d -> d.file().equals(file) ? d : new Diagnostic(file, d.line(), d.col(), d.message(), d.severity()))
                .toList();
        return switch (result) {
            case CompileResult.Compiled c -> new CompileResult.Compiled(
                    c.jobfile().file().equals(file) ? c.jobfile() : new Jobfile(file, c.jobfile().jobs(), c.jobfile().targets()), diagnostics);
            case CompileResult.Rejected r -> new CompileResult.Rejected(diagnostics);
        };
    }
}
