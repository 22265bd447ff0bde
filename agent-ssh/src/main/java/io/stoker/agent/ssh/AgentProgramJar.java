package io.stoker.agent.ssh;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stoker.agent.program.AgentMain;
import io.stoker.container.ContainerExecutor;
import io.stoker.engine.exec.local.LocalExecutor;
import io.stoker.model.Container;
import org.apache.commons.io.file.PathUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * The agent program as one small jar, made from this server's own class path: the classes of the agent module, the
 * engine's local executor, the model records it names, Jackson and Commons IO — whether they sit in separate jars,
 * in build directories or in the server's single jar. Its bytes are reproducible (sorted entries, fixed times), so
 * its hash names the version: an agent gets a new upload exactly when the server's code changed.
 */
final class AgentProgramJar {
    /** Classes by the package prefixes taken from the code source holding each. */
    private static final Map<Class<?>, List<String>> PARTS = Map.of(
            AgentMain.class, List.of("io/stoker/agent/program/", "io/stoker/agent/protocol/"),
            // engine/image: the container executor records image digests and pulls with a registry login
            LocalExecutor.class, List.of("io/stoker/engine/exec/", "io/stoker/engine/files/", "io/stoker/engine/image/"),
            Container.class, List.of("io/stoker/model/"),
            ObjectMapper.class, List.of("com/fasterxml/jackson/databind/"),
            JsonParser.class, List.of("com/fasterxml/jackson/core/"),
            JsonTypeInfo.class, List.of("com/fasterxml/jackson/annotation/"),
            PathUtils.class, List.of("org/apache/commons/io/"),
            ContainerExecutor.class, List.of("io/stoker/container/"));
    private static final long FIXED_TIME = 315_532_800_000L; // 1980-01-01, the zip format's first day

    private static volatile AgentProgramJar current;

    private final byte[] bytes;
    private final String version;

    private AgentProgramJar(byte[] bytes) {
        this.bytes = bytes;
        try {
            this.version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The jar for this server, made once. */
    static AgentProgramJar current() {
        AgentProgramJar j = current;
        if (j == null) {
            synchronized (AgentProgramJar.class) {
                if (current == null) {
                    try {
                        current = build();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot assemble the agent program from the class path", e);
                    }
                }
                j = current;
            }
        }
        return j;
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** 16 hex digits of the jar's SHA-256. */
    String version() {
        return version;
    }

    /** The file name on agents: {@code stoker-agent-<version>.jar}. */
    String fileName() {
        return "stoker-agent-" + version + ".jar";
    }

    private static AgentProgramJar build() throws IOException {
        TreeMap<String, byte[]> entries = new TreeMap<>();
        for (var part : PARTS.entrySet()) collect(part.getKey(), part.getValue(), entries);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, AgentMain.class.getName());
        var out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            ZipEntry m = new ZipEntry(JarFile.MANIFEST_NAME);
            m.setTime(FIXED_TIME);
            jar.putNextEntry(m);
            manifest.write(jar);
            jar.closeEntry();
            for (var e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setTime(FIXED_TIME);
                jar.putNextEntry(z);
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return new AgentProgramJar(out.toByteArray());
    }

    /** The class files under {@code prefixes} in the jar or directory {@code anchor} was loaded from. */
    private static void collect(Class<?> anchor, List<String> prefixes, Map<String, byte[]> into) throws IOException {
        Path source;
        try {
            source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where " + anchor.getSimpleName() + " was loaded from", e);
        }
        if (Files.isDirectory(source)) {
            try (var walk = Files.walk(source)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String name = source.relativize(p).toString().replace('\\', '/');
                    if (Files.isRegularFile(p) && wanted(name, prefixes)) into.put(name, Files.readAllBytes(p));
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            for (var e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                if (e.isDirectory() || !wanted(e.getName(), prefixes)) continue;
                try (InputStream in = jar.getInputStream(e)) {
                    into.put(e.getName(), in.readAllBytes());
                }
            }
        }
    }

    private static boolean wanted(String name, List<String> prefixes) {
        if (!name.endsWith(".class")) return false;
        for (String p : prefixes) if (name.startsWith(p)) return true;
        return false;
    }
}
