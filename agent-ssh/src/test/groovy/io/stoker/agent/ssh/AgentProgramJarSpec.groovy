package io.stoker.agent.ssh

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarFile

/**
 * The agent program's jar holds everything its classes use: it runs alone on a build machine, so a class that
 * needs something the server has and the jar lacks (a logging library) fails there and nowhere in the server's specs.
 */
class AgentProgramJarSpec extends Specification {
    @TempDir Path dir

    /** In the jar with their package, never used by the agent: images are built and pushed by the server (Jib). */
    static final Set<String> SERVER_ONLY = ['io.stoker.container.ImagePublisher'] as Set

    def "every class of the agent program's jar loads and initialises with the jar alone on the class path"() {
        given:
        Path jar = Files.write(dir.resolve('agent.jar'), AgentProgramJar.current().bytes())
        def names = new JarFile(jar.toFile()).withCloseable { j ->
            j.entries().toList()*.name.findAll { it.endsWith('.class') && !it.contains('module-info') && !it.startsWith('META-INF/') }
                    .collect { it.replace('/', '.').replaceFirst(/\.class$/, '') }
        }
        def loader = new URLClassLoader([jar.toUri().toURL()] as URL[], ClassLoader.platformClassLoader)

        when: "each is initialised, as a task's first use of it would (Stoker's own classes: the libraries' own optional parts may name what they do not need)"
        def broken = names.findAll { it.startsWith('io.stoker.') && !(it in SERVER_ONLY) }.findResults { name ->
            try {
                Class.forName(name, true, loader)
                null
            } catch (LinkageError e) {
                "$name: $e".toString()
            }
        }

        then:
        names.any { it == 'io.stoker.agent.program.AgentMain' }
        broken == []

        cleanup:
        loader?.close()
    }
}
