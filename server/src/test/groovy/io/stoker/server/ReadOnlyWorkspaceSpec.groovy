package io.stoker.server

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * A server running as an ordinary user, as a service should, frees a workspace that holds a read-only tree (what Go's
 * module cache looks like). The specs run as root, where permissions do not bite: the server here is its own JVM,
 * started as {@code nobody} with {@code runuser}, on a copy of the class path {@code nobody} can read.
 */
class ReadOnlyWorkspaceSpec extends Specification {
    @Shared Path base
    @Shared Path dataDir
    @Shared Process process
    @Shared Http http

    def setupSpec() {
        base = Files.createTempDirectory('stoker-readonly-')
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString('rwxr-xr-x'))
        dataDir = Files.createDirectories(base.resolve('data'))
        List<String> prefix = []
        if (System.getProperty('user.name') == 'root') {
            run('chown', 'nobody:nogroup', dataDir.toString())
            prefix = ['runuser', '-u', 'nobody', '--']
        }
        String java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def command = prefix + [java, '-XX:+UseSerialGC', '-cp', readableClassPath(base.resolve('cp')),
                                'io.stoker.server.ServerMain']
        def pb = new ProcessBuilder(command).redirectErrorStream(true)
        pb.environment().putAll([STOKER_PORT: '0', STOKER_BIND: '127.0.0.1', STOKER_DATA_DIR: dataDir.toString(),
                                 STOKER_COMPILER: 'in-process', STOKER_ADMIN_PASSWORD: Http.ADMIN_PASSWORD])
        process = pb.start()
        def url = new CompletableFuture<String>()
        def output = new StringBuffer()
        Thread.start {
            process.inputStream.newReader().eachLine { line ->
                output.append(line).append('\n')
                def m = line =~ /listening on (http:\/\/\S+)/
                if (m.find()) url.complete(m.group(1))
            }
            url.completeExceptionally(new IOException("the server ended: $output"))
        }
        http = Http.loggedIn(url.get(60 * Http.TIMEOUT_FACTOR, TimeUnit.SECONDS))
    }

    def cleanupSpec() {
        process?.destroy()
        if (process && !process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly()
        if (base) run('rm', '-rf', base.toString())
    }

    def "a workspace holding a read-only directory is removed after its run"() {
        given:
        assert http.post('/projects', [name: 'gomod', jobfile: '''
job('build') {
  task('build') {
    sh 'mkdir -p gopath/pkg/mod/example.com/m@v1/empty && echo "package m" > gopath/pkg/mod/example.com/m@v1/m.go && ln -s m.go gopath/pkg/mod/example.com/m@v1/link && chmod -R a-w gopath && id -un'
  }
}
''']).status == 201

        when:
        def key = http.post('/projects/gomod/jobs/build/runs', [:]).json.key
        def run = Http.eventually { def r = http.get("/runs/$key").json; r.status in ['succeeded', 'failed'] ? r : null }

        then: 'the task ran as the unprivileged user'
        run.status == 'succeeded'
        System.getProperty('user.name') != 'root' || http.get("/runs/$key/tasks/build/log").text.contains('nobody')

        and: 'its workspace is gone'
        Http.eventually { !Files.exists(dataDir.resolve('workspaces').resolve(key as String)) }
    }

    /** Copies the class path where {@code nobody} can read it (the Maven repository under /root is not). */
    private static String readableClassPath(Path dir) {
        Files.createDirectories(dir)
        def entries = System.getProperty('java.class.path').split(File.pathSeparator).findAll { it }
        def copies = entries.withIndex().collect { String entry, int i ->
            Path source = Path.of(entry)
            Path target = dir.resolve("$i-${source.fileName}")
            if (Files.isDirectory(source)) run('cp', '-r', source.toString(), target.toString())
            else if (Files.exists(source)) Files.copy(source, target)
            target.toString()
        }
        run('chmod', '-R', 'a+rX', dir.toString())
        copies.join(File.pathSeparator)
    }

    private static void run(String... command) {
        def p = new ProcessBuilder(command).redirectErrorStream(true).start()
        String out = p.inputStream.text
        assert p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "${command.join(' ')}: $out"
    }
}
