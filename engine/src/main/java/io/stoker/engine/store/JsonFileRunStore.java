package io.stoker.engine.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.stoker.engine.files.SafeFileName;
import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunStore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps each run as {@code <root>/<run>/run.json}, rewritten atomically (write a temp file, then rename) on every
 * change, so a reader or a crash never sees half a file.
 */
public final class JsonFileRunStore implements RunStore {
    private final Path root;
    private final ObjectMapper json;

    public JsonFileRunStore(Path root) {
        this.root = root;
        SimpleModule time = new SimpleModule("instants-as-text");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeString(value.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        this.json = new ObjectMapper().registerModule(time)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Where a run's record is kept. */
    public Path file(String runKey) {
        return root.resolve(SafeFileName.of(runKey)).resolve("run.json");
    }

    @Override
    public void save(RunRecord run) throws IOException {
        Path file = file(run.key());
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("run.json.tmp-" + Thread.currentThread().threadId());
        json.writeValue(tmp.toFile(), run);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public Optional<RunRecord> load(String runKey) throws IOException {
        Path file = file(runKey);
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(json.readValue(file.toFile(), RunRecord.class));
    }

    @Override
    public List<RunRecord> list() throws IOException {
        List<RunRecord> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                Path f = d.resolve("run.json");
                if (Files.exists(f)) out.add(json.readValue(f.toFile(), RunRecord.class));
            }
        }
        return out;
    }
}
