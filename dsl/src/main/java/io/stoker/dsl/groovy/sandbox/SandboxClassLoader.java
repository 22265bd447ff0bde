package io.stoker.dsl.groovy.sandbox;

import groovy.lang.GroovyClassLoader;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;

import java.io.IOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * The class loader one Jobfile compiles into (a fresh one per compile, so its classes can be collected). Its
 * compilation units get a transform loader that cannot see the service files registering global AST
 * transformations: no library on the class path (Grape's {@code @Grab} handler in Groovy itself, Spock in tests)
 * gets to run a transformation on a Jobfile.
 */
public final class SandboxClassLoader extends GroovyClassLoader {

    static final Set<String> GLOBAL_TRANSFORM_SERVICES = Set.of(
            "META-INF/services/org.codehaus.groovy.transform.ASTTransformation",
            "META-INF/groovy/org.codehaus.groovy.transform.ASTTransformation");

    private final GroovyClassLoader transformLoader;
    private CompilationUnit lastUnit;

    public SandboxClassLoader(ClassLoader parent, CompilerConfiguration config) {
        super(parent, config);
        this.transformLoader = new NoGlobalTransforms(parent, config);
    }

    @Override
    protected CompilationUnit createCompilationUnit(CompilerConfiguration config, CodeSource source) {
        lastUnit = new CompilationUnit(config, source, this, transformLoader);
        return lastUnit;
    }

    /** The unit of the last compile, so a spec can check which global transformations it registered. */
    public CompilationUnit lastUnit() {
        return lastUnit;
    }

    private static final class NoGlobalTransforms extends GroovyClassLoader {
        NoGlobalTransforms(ClassLoader parent, CompilerConfiguration config) {
            super(parent, config);
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
