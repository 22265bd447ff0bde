package io.stoker.dsl.groovy.sandbox;

import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * A rewrite of the Jobfile script's body at CONVERSION: it runs once per script (Groovy calls a customizer for
 * every class node, and may call it again), and only when {@link PolicyCheck} found nothing, so it never works on a
 * tree the policy has refused.
 */
abstract class ScriptBodyRewrite extends CompilationCustomizer {
    private final String done;

    /** @param done the node metadata key that marks a script as already rewritten */
    ScriptBodyRewrite(String done) {
        super(CompilePhase.CONVERSION);
        this.done = done;
    }

    @Override
    public final void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript() || source.getErrorCollector().hasErrors() || classNode.getNodeMetaData(done) != null) {
            return;
        }
        classNode.putNodeMetaData(done, Boolean.TRUE);
        for (MethodNode method : classNode.getMethods()) {
            if (method.getName().equals("run") && method.getCode() != null) rewrite(source, method.getCode());
        }
    }

    /** Rewrites the script's {@code run} body in place. */
    abstract void rewrite(SourceUnit source, Statement body);
}
