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
 * HEAD with Maven offline against ~/.m2, publishes the jar as a version of the project.
 *
 * <p>By default with its quick profile: the jar alone in one Maven call, no test compiled or run (about a minute of
 * Maven on the shared 2-core machine). The full profile (every module group and its tests, then the samples and the
 * bench) takes far longer than the suite's budget, so it runs only with {@code -Dstoker.test.selfbuild=true}.
 */
class SelfBuildSpec extends ServerSpecification {
    @TempDir Path work

    def "the quick profile builds the jar in one Maven call and publishes it as a version named from the project version and run number"() {
        when:
        def build = selfBuild('quick')

        then: 'only the jar was built: the module groups of the full profile were skipped'
        build.run.status == 'succeeded'
        build.run.tasks.findAll { name, t -> t.status != 'succeeded' }.keySet() ==
                ['model', 'dsl', 'engine', 'edges', 'agents', 'server', 'specs', 'cli', 'samples'] as Set
        build.run.tasks.findAll { name, t -> t.status == 'succeeded' }.keySet() == ['version', 'jar', 'reports'] as Set

        and: 'the jar is the version, and it is the CLI and server in one'
        published(build)
    }

    @Requires({ System.getProperty('stoker.test.selfbuild') == 'true' })
    def "the full profile builds and tests every module group and publishes the jar with the test reports"() {
        when:
        def build = selfBuild('full')

        then:
        build.run.status == 'succeeded'
        build.run.tasks.findAll { name, t -> t.status != 'succeeded' }.keySet() == ['jar'] as Set
        published(build)
    }

    /** Adds a clone of HEAD as project 'stoker', runs its build job with {@code profile} offline, and waits. */
    Map selfBuild(String profile) {
        Path clone = work.resolve('stoker')
        git(work, 'clone', '--quiet', '--no-hardlinks', repositoryRoot().toString(), clone.toString())
        // CI (and scripts/flake-check) check out a commit detached: its clone may then have no branch at all, and a
        // project is a repository's branch. The clone's HEAD becomes a branch of its own.
        git(clone, 'checkout', '--quiet', '-B', 'self-build')
        String pom = (Files.readString(clone.resolve('pom.xml')) =~ /(?m)^  <version>(.+)<\/version>/)[0][1]
        try {
            def added = http.post('/projects', [name: 'stoker', gitUrl: clone.toUri().toString()])
            assert added.status == 201, added.text
        } catch (java.net.http.HttpTimeoutException slow) {
            // mirroring the repository and a cold JVM's first Jobfile compile can outlast the client's wait on a
            // loaded machine; the server finishes adding the project all the same
        }
        Http.eventually(300_000) { http.get('/projects/stoker').status == 200 }
        long started = System.nanoTime()
        String key = trigger('stoker', 'build', [parameters: [PROFILE: profile, OFFLINE: true]])
        def run = Http.eventually(profile == 'quick' ? 900_000 : 7_200_000) {
            http.get("/runs/$key").json.with { status in ['succeeded', 'failed', 'cancelled', 'timedout'] ? it : null }
        }
        long seconds = (System.nanoTime() - started).intdiv(1_000_000_000L)
        println "self-build, $profile profile: run $key ${run.status} in $seconds s"
        [run: run, key: key, version: "$pom-$run.number".toString(), commit: git(clone, 'rev-parse', 'HEAD')]
    }

    /** The build's version is in the store, holding the jar of the CLI and server (and nothing but reports). */
    boolean published(Map build) {
        def versions = http.get('/projects/stoker/versions').json
        def manifest = http.get("/projects/stoker/versions/$build.version").json
        byte[] jar = http.get("/projects/stoker/versions/$build.version/files/dist/stoker.jar").bytes
        assert versions.versions*.version == [build.version]
        assert manifest.run == build.key
        assert manifest.commit == build.commit
        assert manifest.files*.path.findAll { !it.contains('/surefire-reports/') } == ['dist/stoker.jar']
        assert manifest.files.find { it.path == 'dist/stoker.jar' }.size == jar.length
        assert new JarInputStream(new ByteArrayInputStream(jar)).withCloseable {
            it.manifest.mainAttributes.getValue('Main-Class')
        } == 'io.stoker.cli.Main'
        true
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
