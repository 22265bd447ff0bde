package io.stoker.dsl.groovy

import io.stoker.dsl.groovy.sandbox.JobfileClassLoader
import io.stoker.dsl.groovy.sandbox.SandboxCompiler
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * A Jobfile's classes live under {@link JobfileClassLoader}: the JDK, Groovy and the DSL are visible, the rest of the
 * class path (here: Jackson, SnakeYAML, ANTLR, SLF4J, Spock and this spec) is not, and no global AST transformation
 * on the class path ever runs on a Jobfile. The server module repeats the first check with the server's libraries.
 */
class JobfileClassLoaderSpec extends Specification {

    static final String SERVICE = 'META-INF/services/org.codehaus.groovy.transform.ASTTransformation'

    @TempDir
    Path dir

    def frontend = new GroovyFrontend()

    def "a compiled Jobfile's class loader cannot load #name, though the class path has it"() {
        given: 'the test class path has the class'
        getClass().classLoader.loadClass(name)

        and:
        Class<?> script = frontend.compileWithoutRunning("job('a') { task('t') { sh 'true' } }")

        when:
        script.classLoader.loadClass(name)

        then:
        thrown(ClassNotFoundException)

        when: 'its parent, the loader every Jobfile class resolves through'
        script.classLoader.parent.loadClass(name)

        then:
        def e = thrown(ClassNotFoundException)
        e.message.contains('not visible to a Jobfile')

        when: 'nor through Class.forName, nor as the context loader of the evaluation'
        Class.forName(name, false, script.classLoader)

        then:
        thrown(ClassNotFoundException)

        where:
        name << ['com.fasterxml.jackson.databind.ObjectMapper', 'org.yaml.snakeyaml.Yaml',
                 'org.antlr.v4.runtime.CharStreams', 'org.slf4j.LoggerFactory', 'spock.lang.Specification',
                 'io.stoker.dsl.JobfileCompiler', 'io.stoker.dsl.isolate.JobfileWorker', 'io.stoker.expr.Expressions',
                 'io.stoker.dsl.groovy.JobfileClassLoaderSpec']
    }

    def "a compiled Jobfile still sees the JDK, Groovy and the DSL's model and delegates, as the same classes"() {
        given:
        Class<?> script = frontend.compileWithoutRunning("job('a') { task('t') { sh 'true' } }")

        expect:
        ['java.lang.String', 'java.util.ArrayList', 'java.sql.Connection', 'groovy.lang.Closure',
         'org.codehaus.groovy.runtime.DefaultGroovyMethods', 'io.stoker.model.Jobfile',
         'io.stoker.dsl.groovy.JobSpec', 'io.stoker.dsl.draft.JobfileDraft'].every {
            script.classLoader.loadClass(it).is(getClass().classLoader.loadClass(it))
        }
        script.superclass == JobfileScript
    }

    def "a normal Jobfile compiles and evaluates under the isolated loader"() {
        when:
        def draft = frontend.read('Jobfile', '''
            job('build') {
              env LEVEL: 'debug'
              task('compile') { sh './gradlew build' }
              ['a', 'b'].each { n -> task("test-$n") { needs 'compile'; sh "echo $n" } }
            }''')

        then:
        draft.diagnostics.empty
        draft.jobs*.tasks*.name.flatten() == ['compile', 'test-a', 'test-b']
    }

    def "a Jobfile naming a class the loader hides gets a compile diagnostic, not the class"() {
        when:
        def draft = frontend.read('Jobfile', "def m = com.fasterxml.jackson.databind.ObjectMapper")

        then:
        def errors = draft.diagnostics.findAll { it.error }
        !errors.empty
        errors.every { it.line() == 1 }
    }

    def "a global AST transformation on the compiler's class path never runs on a Jobfile"() {
        given: 'a directory with a global transform that writes a canary, registered by a service file'
        Path canary = dir.resolve('canary')
        Path classes = dir.resolve('classes')
        compileTransform(classes, canary)
        def classPath = new URLClassLoader([classes.toUri().toURL()] as URL[], getClass().classLoader)

        when: 'a plain Groovy compile over that class path runs it'
        new GroovyClassLoader(classPath).withCloseable { it.parseClass('def x = 1', 'Plain.groovy') }

        then:
        Files.readString(canary) == 'ran'

        when: 'a Jobfile compile over the same class path'
        Files.delete(canary)
        def loader = new JobfileClassLoader(classPath)
        def compiled = new SandboxCompiler(loader).compile(new CompilerConfiguration(), 'Jobfile', 'def x = 1')

        then: 'the transform is neither found nor run'
        compiled.script().name == 'Jobfile'
        !Files.exists(canary)
        compiled.unit().ASTTransformationsContext.globalTransformNames.empty
        classPath.getResources(SERVICE).toList().size() >= 1
        loader.getResources(SERVICE).toList().empty
        loader.getResource(SERVICE) == null

        when: 'the transform class itself is not even loadable by name'
        loader.loadClass('evil.CanaryTransform')

        then:
        thrown(ClassNotFoundException)

        cleanup:
        classPath?.close()
    }

    def "the time and memory limits hold under the isolated loader"() {
        given:
        def limited = new GroovyFrontend(GroovyLimits.DEFAULTS.withTimeout(Duration.ofMillis(500)))

        when: 'an endless loop'
        long start = System.nanoTime()
        def loop = limited.read('Jobfile', 'while (true) { }')
        long loopMillis = (System.nanoTime() - start) / 1_000_000

        and: 'a Jobfile that allocates without end'
        start = System.nanoTime()
        def alloc = limited.read('Jobfile', "def l = []\nwhile (true) { l << 'xxxxxxxxxxxxxxxx' + l.size() }")
        long allocMillis = (System.nanoTime() - start) / 1_000_000

        then:
        loop.diagnostics*.message == ['the Jobfile took longer than 0.5 s of CPU time to evaluate — is there an endless loop?']
        loopMillis < 500 * GroovyLimits.COMPILE_WALL_FACTOR + 2000 * SandboxSpec.FACTOR // CPU time: load stretches it
        alloc.diagnostics.size() == 1
        alloc.diagnostics[0].message =~ /MiB of memory|took longer than/
        alloc.diagnostics[0].line() == 2
        allocMillis < 500 * GroovyLimits.COMPILE_WALL_FACTOR + 2000 * SandboxSpec.FACTOR
    }

    private static void compileTransform(Path classes, Path canary) {
        Files.createDirectories(classes.resolve('META-INF/services'))
        Files.writeString(classes.resolve(SERVICE), 'evil.CanaryTransform\n')
        def config = new CompilerConfiguration(targetDirectory: classes.toFile())
        def unit = new CompilationUnit(config)
        unit.addSource('CanaryTransform.groovy', """
            package evil
            import org.codehaus.groovy.ast.ASTNode
            import org.codehaus.groovy.control.CompilePhase
            import org.codehaus.groovy.control.SourceUnit
            import org.codehaus.groovy.transform.ASTTransformation
            import org.codehaus.groovy.transform.GroovyASTTransformation

            @GroovyASTTransformation(phase = CompilePhase.CONVERSION)
            class CanaryTransform implements ASTTransformation {
                void visit(ASTNode[] nodes, SourceUnit source) {
                    new File('${canary.toString().replace('\\', '\\\\')}').text = 'ran'
                }
            }""")
        unit.compile(Phases.OUTPUT)
    }
}
