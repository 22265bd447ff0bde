package io.stoker.cli.run

import io.stoker.cli.CliRun
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** {@code stoker run} keeps task caches under its data dir: each run has a fresh workspace copy, the cache comes back. */
class LocalCacheSpec extends Specification {

    @TempDir
    Path project

    @TempDir
    Path data

    static final String JOBFILE = '''\
job('ci') {
  task('build') {
    cache 'deps', key: 'deps', files: ['lock.txt']
    sh \'\'\'
      if [ -z "$(ls -A deps 2>/dev/null)" ]; then echo downloading; mkdir -p deps; cat lock.txt > deps/x.jar; fi
      echo "using $(cat deps/x.jar)"
    \'\'\'
  }
}'''

    CliRun run(String lock, String... options) {
        project.resolve('Jobfile').text = JOBFILE
        project.resolve('lock.txt').text = lock
        CliRun.of('run', project.resolve('Jobfile'), '--data-dir', data, *options)
    }

    String log(String runKey) {
        Files.readString(data.resolve('runs').resolve(runKey).resolve('logs').resolve('build.log'))
    }

    def "a second run restores what the first saved; a changed lock file makes a new cache"() {
        when:
        def first = run('v1')
        def second = run('v1')
        def changed = run('v2')

        then:
        first.exit == 0
        first.out.readLines().any { it ==~ /build +│ downloading/ }
        log('ci-1') =~ /cache deps-[0-9a-f]{8} saved: 1 file/
        second.exit == 0
        !second.out.contains('downloading')
        second.out.readLines().any { it ==~ /build +│ using v1/ }
        log('ci-2') =~ /cache deps-[0-9a-f]{8} restored: 1 file/
        changed.out.readLines().any { it ==~ /build +│ downloading/ }
        changed.out.readLines().any { it ==~ /build +│ using v2/ }
        Files.list(data.resolve('caches').resolve('local').resolve('all')).count() == 2
    }

    def "--no-cache runs the task without its cache, saves none, and leaves the kept one for the next run"() {
        given: 'a first run saved the cache'
        run('v1').exit == 0
        def kept = Files.list(data.resolve('caches').resolve('local').resolve('all')).toList()

        when:
        def fresh = run('v1', '--no-cache')
        def again = run('v1')

        then: 'the run without caches downloads again and says why'
        fresh.exit == 0
        fresh.out.readLines().any { it ==~ /build +│ downloading/ }
        log('ci-2').contains('cache [deps] not used: caches are off for this run (--no-cache)')
        !(log('ci-2') =~ /cache deps-[0-9a-f]{8} (restored|saved)/)

        and: 'the kept cache is untouched and restored by the next run'
        Files.list(data.resolve('caches').resolve('local').resolve('all')).toList() == kept
        !again.out.contains('downloading')
        log('ci-3') =~ /cache deps-[0-9a-f]{8} restored: 1 file/
    }

    def "the job's graph names the task's cache, as text and as JSON"() {
        given:
        project.resolve('Jobfile').text = JOBFILE

        when:
        def text = CliRun.of('graph', project.resolve('Jobfile'))
        def json = CliRun.of('graph', project.resolve('Jobfile'), '-f', 'json')

        then:
        text.out.contains('build  [cache deps (key deps + lock.txt)]')
        json.json().tasks[0].cache == [key: 'deps', paths: ['deps'], files: ['lock.txt']]
    }

    def "a cache path leaving the workspace is a Jobfile error at its line and column"() {
        when:
        project.resolve('Jobfile').text = "job('ci') {\n  task('build') {\n    sh 'true'\n    cache '../outside'\n  }\n}"
        def r = CliRun.of('run', project.resolve('Jobfile'), '--data-dir', data)

        then:
        r.exit != 0
        r.err.contains("Jobfile:4:5: cache path '../outside' of task 'build' leaves the workspace with '..'")
    }
}
