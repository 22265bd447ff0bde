package io.stoker.dsl.groovy.sandbox;

import groovy.lang.GroovyClassLoader;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.tools.GroovyClass;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * Compiles one Jobfile and defines its classes in a fresh class loader (so they can be collected), while the
 * compiler itself resolves through one shared loader: Groovy caches the GDK method index per loader, and rebuilding
 * it for every compile would triple the compile time. Both shared loaders are locked down:
 * <ul>
 *   <li>the transform loader cannot see the service files that register global AST transformations, so no library
 *       on the class path (Grape's {@code @Grab} handler in Groovy itself, Spock in tests) runs on a Jobfile;</li>
 *   <li>the resolving loader never looks for {@code Name.groovy} sources to compile when a name is unknown.</li>
 * </ul>
 */
public final class SandboxCompiler {

    static final Set<String> GLOBAL_TRANSFORM_SERVICES = Set.of(
            "META-INF/services/org.codehaus.groovy.transform.ASTTransformation",
            "META-INF/groovy/org.codehaus.groovy.transform.ASTTransformation");

    private final ClassLoader parent;
    private final GroovyClassLoader resolver;
    private final GroovyClassLoader transforms;

    public SandboxCompiler(ClassLoader parent) {
        this.parent = parent;
        this.resolver = new GroovyClassLoader(parent);
        this.resolver.setResourceLoader(name -> null);
        this.transforms = new NoGlobalTransforms(parent);
    }

    /** The compiled script class and the unit that made it (the unit is for inspection in specs). */
    public record Compiled(Class<?> script, CompilationUnit unit) {
    }

    /**
     * @param className the script's class name, also the file name the compiler reports
     * @throws org.codehaus.groovy.control.CompilationFailedException with every error found
     */
    public Compiled compile(CompilerConfiguration config, String className, String source) {
        CompilationUnit unit = new CompilationUnit(config, null, resolver, transforms);
        unit.addSource(className + ".groovy", source);
        unit.compile(Phases.CLASS_GENERATION);
        Definer definer = new Definer(parent);
        Class<?> script = null;
        for (GroovyClass compiled : unit.getClasses()) {
            Class<?> defined = definer.define(compiled.getName(), compiled.getBytes());
            if (compiled.getName().equals(className)) {
                script = defined;
            }
        }
        return new Compiled(script, unit);
    }

    /** Holds the classes of one Jobfile; unreachable (and collectable) once its evaluation is done. */
    private static final class Definer extends ClassLoader {
        Definer(ClassLoader parent) {
            super("jobfile", parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static final class NoGlobalTransforms extends GroovyClassLoader {
        NoGlobalTransforms(ClassLoader parent) {
            super(parent);
            setResourceLoader(name -> null);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return GLOBAL_TRANSFORM_SERVICES.contains(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }

        @Override
        public URL getResource(String name) {
            return GLOBAL_TRANSFORM_SERVICES.contains(name) ? null : super.getResource(name);
        }
    }
}
