package io.stoker.server.api

import io.stoker.server.ServerSpecification
import spock.lang.Shared

import java.util.zip.ZipInputStream

/**
 * {@code artifacts 'reports/**', when: 'always'}: a task whose tests failed keeps its report, and the run's API lists
 * and downloads it as it does a successful task's (unpublished, as every artifact of a failed run is).
 */
class FailedTaskArtifactsSpec extends ServerSpecification {
    @Shared String key

    def setupSpec() {
        freestyle('reports', '''
job('ci') {
  task('test') {
    sh 'mkdir -p reports && echo one-test-failed > reports/junit.xml && exit 1'
    artifacts 'reports/**', when: 'always'
  }
  task('lint') {
    sh 'mkdir -p lint && echo bad > lint/out.txt && exit 1'
    artifacts 'lint/**'
  }
}
''')
        key = trigger('reports', 'ci')
        assert awaitEnd(key).status == 'failed'
    }

    def "a failed task's artifacts are listed and downloaded, the zip and the one file in it"() {
        when:
        def listed = http.get("/runs/$key/artifacts")
        def zip = http.get("/runs/$key/artifacts/test.zip")
        def file = http.get("/runs/$key/artifacts/test.zip/reports/junit.xml")
        List<String> entries = []
        new ZipInputStream(new ByteArrayInputStream(zip.bytes)).withCloseable { z ->
            for (def e = z.nextEntry; e != null; e = z.nextEntry) entries << e.name
        }

        then:
        listed.status == 200
        listed.json*.task == ['test']
        listed.json[0].published == false
        listed.json[0].files*.path == ['reports/junit.xml']
        zip.status == 200
        entries == ['reports/junit.xml']
        file.status == 200
        file.text == 'one-test-failed\n'
    }

    def "a failed task whose artifacts are kept only on success has none: its download is a 404 naming the task"() {
        when:
        def r = http.get("/runs/$key/artifacts/lint.zip")

        then:
        r.status == 404
        r.text.contains("task 'lint' of run $key has no artifacts")
    }

    def "the job's graph says when a task's artifacts are collected, unless it is the default, on success"() {
        when:
        def tasks = http.get('/projects/reports/jobs/ci').json.graph.tasks

        then:
        tasks.collectEntries { [it.name, it.artifactsWhen] } == [test: 'always', lint: null] // the default is not said
    }
}
