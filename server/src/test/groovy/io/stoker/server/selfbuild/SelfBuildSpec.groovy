package io.stoker.server.selfbuild

import io.stoker.server.Http
import io.stoker.server.ServerSpecification
import spock.lang.Requires
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarInputStream

/**
 * Stoker builds Stoker: the Jobfile at the repository root, run by a real server on a clone of this repository's
 * HEAD with its quick profile (the modules the jar needs, no tests) and Maven offline against ~/.m2, publishes the
 * jar as a version of the project.
 *
 * <p>It compiles and packages nine modules from nothing: minutes even when quick (689 s for the run on the shared
 * 2-core build machine at a load average of 20–30), so it runs only with {@code -Dstoker.test.selfbuild=true} (also
 * {@code ./run-tests -Dstoker.test.selfbuild=true}).
 */
@Requires({ System.getProperty('stoker.test.selfbuild') == 'true' })
class SelfBuildSpec extends ServerSpecification {
    @TempDir Path work

    def "the repository's own Jobfile builds the jar and publishes it as a version named from the project version and run number"() {
        given: 'a clone of HEAD, added as a git project'
        Path root = repositoryRoot()
        Path clone = work.resolve('stoker')
        git(work, 'clone', '--quiet', '--no-hardlinks', root.toString(), clone.toString())
        String pom = (Files.readString(clone.resolve('pom.xml')) =~ /(?m)^  <version>(.+)<\/version>/)[0][1]
        def added = http.post('/projects', [name: 'stoker', gitUrl: clone.toUri().toString()])
        assert added.status == 201, added.text

        when:
        long started = System.nanoTime()
        String key = trigger('stoker', 'build', [parameters: [PROFILE: 'quick', OFFLINE: true]])
        def run = Http.eventually(900_000) {
            http.get("/runs/$key").json.with { status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? it : null }
        }
        long seconds = (System.nanoTime() - started).intdiv(1_000_000_000L)
        println "self-build, quick profile: run $key ${run.status} in $seconds s"

        then: 'every module group was built; the tests of the full profile were left out'
        run.status == 'succeeded'
        run.tasks.findAll { name, t -> t.status != 'succeeded' }.collectEntries { name, t -> [name, t.status] } == [samples: 'skipped']

        when:
        def versions = http.get('/projects/stoker/versions').json
        String version = "$pom-$run.number"
        def manifest = http.get("/projects/stoker/versions/$version").json
        byte[] jar = http.get("/projects/stoker/versions/$version/files/dist/stoker.jar").bytes

        then: 'the jar is the version, and it is the CLI and server in one'
        versions.versions*.version == [version]
        manifest.run == key
        manifest.commit == git(clone, 'rev-parse', 'HEAD')
        manifest.files*.path == ['dist/stoker.jar']
        manifest.files[0].size == jar.length
        new JarInputStream(new ByteArrayInputStream(jar)).withCloseable { it.manifest.mainAttributes.getValue('Main-Class') } == 'io.stoker.cli.Main'
    }

    /** The checkout this build runs in: the module's parent directory. */
    static Path repositoryRoot() {
        Path.of(git(Path.of('').toAbsolutePath(), 'rev-parse', '--show-toplevel'))
    }

    static String git(Path dir, String... args) {
        def p = new ProcessBuilder(['git', *args]).directory(dir.toFile()).redirectErrorStream(true).start()
        String out = p.inputStream.text.trim()
        assert p.waitFor() == 0, "git ${args.join(' ')}: $out"
        out
    }
}
