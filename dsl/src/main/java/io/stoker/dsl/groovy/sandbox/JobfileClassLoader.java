package io.stoker.dsl.groovy.sandbox;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every Jobfile's classes: it sees the JDK, Groovy and the DSL's own model and delegate classes, and
 * nothing else of the application's class path, even in the DSL's packages if it comes from another jar or directory — no server, engine, Vert.x, JGit, H2, Jackson, SSHD or logging
 * class can be named, resolved or loaded from a Jobfile, whatever the policy above it lets through. Classes it lets
 * through are the application's own (same {@code Class} objects), so the DSL delegates keep working.
 * Resources are filtered the same way: only those of the JDK and of the jars or directories that hold Groovy and
 * the DSL, and never the service files that register global AST transformations.
 */
public final class JobfileClassLoader extends ClassLoader {

    /** Name prefixes a Jobfile (and the compiler working on it) may reach besides the JDK. */
    static final List<String> VISIBLE = List.of("groovy.", "org.codehaus.groovy.", "org.apache.groovy.",
            "groovyjarjarantlr4.", "groovyjarjarasm.", "io.stoker.model.", "io.stoker.dsl.groovy.",
            "io.stoker.dsl.draft.");

    private final ClassLoader application;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    private final List<String> visibleLocations;
    /** Classes of Groovy and the DSL already checked (a bounded set: those jars hold only so many). */
    private final java.util.Map<String, Class<?>> visibleClasses = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param application the loader that holds Groovy and the DSL (the server's or the test's class path) */
    public JobfileClassLoader(ClassLoader application) {
        super("jobfile-visible", null);
        this.application = application;
        this.visibleLocations = List.of(location(groovy.lang.GroovyObject.class),
                location(io.stoker.model.Jobfile.class), location(JobfileClassLoader.class));
    }

    /** Whether a Jobfile may see the class of that name (it may still not exist). */
    public static boolean isVisible(String name) {
        return VISIBLE.stream().anyMatch(name::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> seen = visibleClasses.get(name);
        if (seen != null) {
            return seen;
        }
        if (isVisible(name)) {
            // by name and by origin: a class in a DSL package that comes from another jar or directory (a
            // plugin, a test) is as invisible as any other
            URL origin = application.getResource(name.replace('.', '/') + ".class");
            if (origin != null && visible(origin)) {
                Class<?> type = application.loadClass(name);
                visibleClasses.putIfAbsent(name, type);
                return type;
            }
            throw new NotVisible(name);
        }
        try {
            return platform.loadClass(name); // java.*, javax.*, jdk.*, org.w3c.*: the JDK's modules
        } catch (ClassNotFoundException notJdk) {
            throw new NotVisible(name);
        }
    }

    /** Thrown for every name the compiler tries and a Jobfile may not see; without a stack trace, as it is common. */
    private static final class NotVisible extends ClassNotFoundException {
        NotVisible(String name) {
            super(name + " is not visible to a Jobfile");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        throw new NotVisible(name);
    }

    @Override
    public URL getResource(String name) {
        if (SandboxCompiler.GLOBAL_TRANSFORM_SERVICES.contains(name)) {
            return null;
        }
        URL jdk = platform.getResource(name);
        if (jdk != null) {
            return jdk;
        }
        URL found = application.getResource(name);
        return found != null && visible(found) ? found : null;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (SandboxCompiler.GLOBAL_TRANSFORM_SERVICES.contains(name)) {
            return Collections.emptyEnumeration();
        }
        var all = new java.util.ArrayList<URL>(Collections.list(platform.getResources(name)));
        for (URL url : Collections.list(application.getResources(name))) {
            if (visible(url) && !all.contains(url)) {
                all.add(url);
            }
        }
        return Collections.enumeration(all);
    }

    private boolean visible(URL resource) {
        String text = resource.toString();
        return visibleLocations.stream().anyMatch(location -> location != null && text.contains(location));
    }

    /** The jar or directory a class came from, as it appears inside resource URLs; null if unknown. */
    private static String location(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        String url = source.getLocation().toString();
        return url.startsWith("file:") ? url.substring("file:".length()) : url;
    }
}
