package io.stoker.server

import org.apache.commons.compress.archivers.tar.TarArchiveInputStream

import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.zip.GZIPInputStream
import java.util.zip.ZipInputStream

class RunLifecycleSpec extends ServerSpecification {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()

    static final String JOBFILE = '''
job('build') {
  parameters {
    string 'greeting', defaultValue: 'hello'
  }
  task('compile') {
    sh 'mkdir -p out && printf "%s from ${{ params.greeting }}\\\\n" binary > out/app.txt && echo "version=1.${{ run.number }}" >> $STOKER_OUTPUT'
    artifacts 'out/**'
  }
  task('test') {
    needs 'compile'
    sh 'for i in 1 2 3; do echo "line $i of ${{ outputs.compile.version }}"; sleep 0.3; done'
  }
}
'''

    def "a freestyle project's run is queued, followed live to its end, and shows its tasks"() {
        given:
        freestyle('life', JOBFILE)
        def sseLines = new CopyOnWriteArrayList<String>()
        def chunked = new CopyOnWriteArrayList<String>()

        when: 'a run is triggered'
        def reply = http.post('/projects/life/jobs/build/runs', [parameters: [greeting: 'spock'], metadata: [by: 'spec']])

        then: 'it is answered as queued with a key and number 1'
        reply.status == 201
        reply.json.status == 'queued'
        reply.json.number == 1
        reply.json.key ==~ /[a-z2-7]{26}/

        when: 'the test task is followed as SSE and as chunked text while it runs'
        String key = reply.json.key
        def sse = Thread.start { http.stream("/runs/$key/tasks/test/log", [accept: 'text/event-stream']) { sseLines << it } }
        def plain = Thread.start { http.stream("/runs/$key/tasks/test/log?follow=true", [:]) { chunked << it } }
        sse.join(30_000 * Http.TIMEOUT_FACTOR)
        plain.join(30_000 * Http.TIMEOUT_FACTOR)

        then: 'both streams ended on their own with every line'
        !sse.alive && !plain.alive
        chunked.findAll { it.contains(' out ') }*.replaceFirst(/^\S+ out /, '') == ['line 1 of 1.1', 'line 2 of 1.1', 'line 3 of 1.1']
        def events = sseLines.findAll { it.startsWith('data: {"task"') }.collect { Http.parse(it.substring(6)) }
        events.findAll { it.stream == 'out' }*.text == ['line 1 of 1.1', 'line 2 of 1.1', 'line 3 of 1.1']
        events*.line == (1..events.size()).toList()
        sseLines.contains('event: end')

        when:
        def run = awaitEnd(key)

        then: 'the run and its tasks are stored with the issue’s fields'
        run.status == 'succeeded'
        run.project == 'life' && run.job == 'build' && run.trigger == 'api'
        run.parameters == [greeting: 'spock']
        run.metadata == [by: 'spec']
        run.createdAt && run.startedAt && run.finishedAt
        run.tasks.keySet().toList() == ['compile', 'test']
        run.tasks.compile.status == 'succeeded'
        run.tasks.compile.exitCode == 0
        run.tasks.compile.attempts == 1
        run.tasks.compile.outputs == [version: '1.1']
        run.tasks.test.startedAt && run.tasks.test.finishedAt

        and: 'the whole-run log has every task, prefixed'
        def all = http.get("/runs/$key/log").text.readLines()
        all.any { it.startsWith('[compile] ') }
        all.findAll { it.startsWith('[test] ') && it.contains(' out ') }.size() == 3

        and: 'ranges of a task log start at a byte offset'
        def whole = http.get("/runs/$key/tasks/test/log")
        def tail = http.get("/runs/$key/tasks/test/log?offset=10")
        whole.text.substring(10) == tail.text
        whole.header('X-Next-Offset') == String.valueOf(whole.bytes.length)
    }

    def "a task log's Range header is served as RFC 9110 says: one valid range gets 206, an invalid one is ignored"() {
        given:
        freestyle('ranges', "job('r') { task('t') { sh 'echo hello from a ranged log' } }")
        String key = trigger('ranges', 'r')
        assert awaitEnd(key).status == 'succeeded'
        def whole = http.get("/runs/$key/tasks/t/log")
        int size = whole.bytes.length

        expect: 'a header that is not one range of bytes is ignored: the whole log, 200'
        ['bytes=abc', 'bytes=50-10', 'bytes=0-1,3-4', 'items=0-5', 'bytes=', 'bytes=-'].every { String range ->
            def r = http.get("/runs/$key/tasks/t/log", [Range: range])
            assert r.status == 200 && r.bytes == whole.bytes && r.header('content-range') == null: range
            true
        }

        and: 'a suffix or an end beyond the file, however many digits it has, is the whole file, 206'
        ['bytes=-99999999999999999999', "bytes=-${size + 100}".toString(), 'bytes=0-99999999999999999999',
         'bytes=-00000000000000000000001'.replace('1', String.valueOf(size))].every { String range ->
            def r = http.get("/runs/$key/tasks/t/log", [Range: range])
            assert r.status == 206 && r.bytes == whole.bytes && r.header('content-range') == "bytes 0-${size - 1}/$size": range
            true
        }

        and: 'the unit is case-insensitive'
        with(http.get("/runs/$key/tasks/t/log", [Range: 'Bytes=0-4'])) {
            status == 206
            bytes == whole.bytes[0..4] as byte[]
        }

        and: 'a valid range that starts beyond the end is 416'
        ['bytes=99999999999999999999-', "bytes=$size-".toString(), 'bytes=-0'].every { String range ->
            def r = http.get("/runs/$key/tasks/t/log", [Range: range])
            assert r.status == 416 && r.header('content-range') == "bytes */$size" && r.json.error == 'range not satisfiable': range
            true
        }
    }

    def "the whole run's log is followed live, every task's lines prefixed, until the last task ended"() {
        given:
        freestyle('whole', JOBFILE)
        def lines = new CopyOnWriteArrayList<String>()

        when:
        String key = trigger('whole', 'build')
        int status = http.stream("/runs/$key/log?follow=true", [:]) { lines << it }

        then:
        status == 200
        lines.any { it.startsWith('[compile] ') }
        lines.findAll { it.startsWith('[test] ') && it.contains(' out line ') }.size() == 3
        lines.last().startsWith('[test] ')
    }

    def "a followed run's log ends with the line saying which version the run published"() {
        given: 'a job that publishes a version of a few MiB, so that the run ends well after its last task did'
        freestyle('publishing', '''
job('release') {
  publish version: '1.${{ run.number }}'
  task('build') {
    sh 'head -c 8000000 /dev/urandom > app.bin'
    artifacts 'app.bin'
  }
}
''')
        def events = new CopyOnWriteArrayList<String>()
        def text = new CopyOnWriteArrayList<String>()

        when: 'its log is followed as events and as text from the moment it is triggered'
        String key = trigger('publishing', 'release')
        def sse = Thread.start { http.stream("/runs/$key/log", [accept: 'text/event-stream']) { events << it } }
        def plain = Thread.start { http.stream("/runs/$key/log?follow=true", [:]) { text << it } }
        sse.join(60_000 * Http.TIMEOUT_FACTOR)
        plain.join(60_000 * Http.TIMEOUT_FACTOR)

        then: 'both end with the published version, as the stored log does'
        !sse.alive && !plain.alive
        def published = events.findAll { it.startsWith('data: {"task"') }.collect { Http.parse(it.substring(6)) }
                .findAll { it.text.startsWith('published version 1.') }
        published.size() == 1
        published[0].task == 'build' && published[0].stream == 'system'
        events.contains('event: end')
        text.findAll { it.startsWith('[build] ') && it.contains('published version 1.') }.size() == 1
        http.get("/runs/$key/log").text.contains('published version 1.')
    }

    def "the whole run's event stream resumes where Last-Event-ID says, each task's log after its own lines"() {
        given: 'a finished run and its whole log as events'
        freestyle('resume', JOBFILE)
        String key = trigger('resume', 'build')
        assert awaitEnd(key).status == 'succeeded'
        def all = events(key, [:])
        def cut = all.findIndexOf { it.data.task == 'test' && it.data.line == 2 }

        when: 'a client that got the events up to the cut comes back with its last id'
        def rest = events(key, ['last-event-id': all[cut].id])

        then: 'it gets exactly the events after the cut, and ids that say where each log is'
        cut > 0
        JSON.readValue(all[cut].id, Map).test == 2
        JSON.readValue(all[cut].id, Map).compile == all.findAll { it.data.task == 'compile' }.size()
        rest*.data == all.drop(cut + 1)*.data
        rest*.id == all.drop(cut + 1)*.id
    }

    /** A run's whole log as SSE events: [id: …, data: the line's JSON parsed]. */
    private List<Map> events(String key, Map<String, String> headers) {
        List<Map> out = []
        String id = null
        http.stream("/runs/$key/log", [accept: 'text/event-stream'] + headers) { String line ->
            if (line.startsWith('id: ')) id = line.substring(4)
            if (line.startsWith('data: ') && line.contains('"task"')) out << [id: id, data: JSON.readValue(line.substring(6), Map)]
        }
        out
    }

    def "artifacts are listed and downloaded as the task's zip and as the run's tar.gz"() {
        given:
        freestyle('arts', JOBFILE)
        String key = trigger('arts', 'build', [parameters: [greeting: 'zip']])
        assert awaitEnd(key).status == 'succeeded'

        when:
        def list = http.get("/runs/$key/artifacts").json
        def zip = http.get("/runs/$key/artifacts/compile.zip")
        def tgz = http.get("/runs/$key/artifacts.tar.gz")

        then:
        list*.task == ['compile']
        list[0].published
        zip.status == 200
        zip.header('content-type') == 'application/zip'
        unzip(zip.bytes) == ['out/app.txt': 'binary from zip\n']
        untar(tgz.bytes) == [("$key/compile.zip".toString()): zip.bytes.toList()]
        http.get("/runs/$key/artifacts/test.zip").status == 404

        and: 'one file of a zip, by its path in the workspace, as the list names it'
        list[0].files == [[path: 'out/app.txt', size: 16]]
        list[0].fileCount == 1
        with(http.get("/runs/$key/artifacts/compile.zip/out/app.txt")) {
            status == 200
            text == 'binary from zip\n'
            header('content-disposition') == 'attachment; filename="app.txt"'
        }
        with(http.get("/runs/$key/artifacts/compile.zip/out/missing.txt")) {
            status == 404
            json.message == "no file 'out/missing.txt' in the artifacts of task 'compile' (GET /runs/$key/artifacts lists them)".toString()
        }

        and: 'a path that names no file in the zip is no file, not the whole zip'
        with(http.get("/runs/$key/artifacts/compile.zip/")) {
            status == 404
            json.message == "no file '' in the artifacts of task 'compile' (GET /runs/$key/artifacts lists them)".toString()
        }
    }

    def "files whose names hold spaces, '%', '+' or letters beyond ASCII download by their listed path, encoded"() {
        given:
        freestyle('names', """job('gen') {
          task('mk') { sh 'mkdir -p "out/sub dir" && echo a > "out/my report.txt" && echo b > out/\u00fc.txt && echo c > "out/sub dir/x.txt" && echo d > "out/a+b.txt" && echo e > "out/100%.txt"'; artifacts 'out/**' }
        }""")
        String key = trigger('names', 'gen')
        assert awaitEnd(key).status == 'succeeded'

        when:
        def listed = http.get("/runs/$key/artifacts").json[0].files*.path

        then:
        listed as Set == ['out/my report.txt', 'out/\u00fc.txt', 'out/sub dir/x.txt', 'out/a+b.txt', 'out/100%.txt'] as Set
        listed.every { String path ->
            String encoded = path.split('/').collect { URLEncoder.encode(it, 'UTF-8').replace('+', '%20') }.join('/')
            http.get("/runs/$key/artifacts/mk.zip/$encoded").status == 200
        }
        http.get("/runs/$key/artifacts/mk.zip/out/my%20report.txt").text == 'a\n'

    }

    def "a zip of more files than the list names says how many it holds"() {
        given:
        freestyle('many', """job('gen') {
          task('files') { sh 'mkdir -p out && for i in \$(seq 1 1005); do echo \$i > out/f\$i; done'; artifacts 'out/**' }
        }""")
        String key = trigger('many', 'gen')
        assert awaitEnd(key).status == 'succeeded'

        when:
        def zip = http.get("/runs/$key/artifacts").json[0]

        then:
        zip.files.size() == 1000 // as the OpenAPI document says
        zip.fileCount == 1005
    }

    def "the event stream reports run and task state changes"() {
        given:
        freestyle('events', JOBFILE)
        def seen = new CopyOnWriteArrayList<Map>()
        def ended = new CountDownLatch(1)
        def subscribed = new CountDownLatch(1)
        String[] key = [null]
        def stream = Thread.start {
            try {
                http.stream('/events', [accept: 'text/event-stream']) { String line ->
                    subscribed.countDown() // the server subscribes before it writes its first comment line
                    if (!line.startsWith('data: ')) return
                    Map e = Http.parse(line.substring(6)) as Map
                    seen << e
                    if (e.type == 'run' && e.run == key[0] && e.status == 'succeeded') {
                        ended.countDown()
                        throw new InterruptedIOExceptionStop()
                    }
                }
            } catch (InterruptedIOExceptionStop ignored) {
                // the spec saw what it waited for
            }
        }
        subscribed.await(10 * Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)

        when:
        key[0] = trigger('events', 'build')

        then:
        ended.await(30 * Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        def mine = seen.findAll { it.run == key[0] }
        mine.findAll { it.type == 'run' }*.status == ['queued', 'running', 'succeeded']
        mine.findAll { it.type == 'task' && it.task == 'compile' }*.status.containsAll(['running', 'succeeded'])
    }

    def "a rerun from a task reuses the outputs and artifacts of the tasks before it"() {
        given:
        String first = succeededRun('again', 'first')

        when:
        def reply = http.post("/runs/$first/rerun?from=test")
        def rerun = awaitEnd(reply.json.key)

        then:
        reply.status == 201
        rerun.status == 'succeeded'
        rerun.number == 2
        rerun.rerunOf == first && rerun.rerunFrom == 'test'
        rerun.parameters == [greeting: 'first']
        http.get("/runs/${reply.json.key}/tasks/compile/log").text.contains('reused the outputs and artifacts of run ' + first)
        http.get("/runs/${reply.json.key}/tasks/test/log").text.contains('line 1 of 1.1')
        unzip(http.get("/runs/${reply.json.key}/artifacts/compile.zip").bytes) == ['out/app.txt': 'binary from first\n']

        when: 'a whole rerun runs every task again'
        def whole = awaitEnd(http.post("/runs/$first/rerun").json.key)

        then:
        whole.status == 'succeeded'
        whole.tasks.compile.outputs == [version: '1.3']
    }

    def "a rerun from a task finds the artifacts of the tasks before it in its workspace, executables still executable"() {
        given: 'as in samples/04: check reads the file build kept as an artifact, and runs the tool it built'
        freestyle('restore', '''
job('release') {
  task('build') {
    sh 'mkdir -p dist && echo 1.2.3 > dist/v.txt && echo notes > dist/notes.txt'
    sh 'printf "#!/bin/sh\\\\necho tool ran\\\\n" > dist/tool && chmod +x dist/tool'
    artifacts 'dist/v.txt', 'dist/tool'
  }
  task('check') {
    needs 'build'
    sh 'test "$(cat dist/v.txt)" = 1.2.3 && echo "dist has version $(cat dist/v.txt)"'
    sh './dist/tool'
    sh 'if test -e dist/notes.txt; then echo "notes: there"; else echo "notes: not there"; fi'
  }
}
''')
        String first = trigger('restore', 'release')
        assert awaitEnd(first).status == 'succeeded'

        when:
        String again = http.post("/runs/$first/rerun?from=check").json.key

        then: 'a file the reused task did not keep as an artifact is not there'
        awaitEnd(again).status == 'succeeded'
        http.get("/runs/$again/tasks/check/log").text.contains('dist has version 1.2.3')
        http.get("/runs/$again/tasks/check/log").text.contains('notes: not there')
        http.get("/runs/$again/tasks/check/log").text.contains('tool ran')
        http.get("/runs/$again/tasks/build/log").text =~ /\(2 files restored into the workspace: dist\/(v.txt, dist\/tool|tool, dist\/v.txt)\)/
    }

    def "a rerun takes the task to start from in a JSON body as well as in the query, and refuses a body it cannot use"() {
        given:
        String first = succeededRun('again-body', 'body')

        when:
        def fromBody = http.post("/runs/$first/rerun", [from: 'test'])
        def same = http.post("/runs/$first/rerun?from=test", [from: 'test'])
        def twice = http.post("/runs/$first/rerun?from=compile", [from: 'test'])
        def unknown = http.post("/runs/$first/rerun", [from: 'test', queue: true])
        def wrongType = http.post("/runs/$first/rerun", [from: 5])

        then: 'the body says where to start, as ?from= does'
        fromBody.status == 201
        awaitEnd(fromBody.json.key).rerunFrom == 'test'
        same.status == 201
        awaitEnd(same.json.key).rerunFrom == 'test'

        and: 'two different answers, a field it does not know (queue is an option of the query, as for a trigger) or a wrong type are refused, never ignored'
        twice.status == 400
        twice.json.message == "'from' is given twice: 'compile' in the query and 'test' in the body"
        unknown.status == 400
        unknown.json.message == "unknown field 'queue'"
        unknown.json.details == ['known fields: failed, from']
        wrongType.status == 400
        wrongType.json.message == "'from' must be a string, not a number"
        wrongType.json.details == ['field: from'] // as a null or unknown field's refusal names its field
        http.get('/runs?project=again-body').json.total == 3
    }

    def "a rerun from a matrix task's name runs every cell again, reusing what the cells wait for"() {
        given: "needs 'test' means every cell, so from 'test' does too"
        freestyle('again-grid', """
job('grid') {
  task('compile') { sh 'echo compiled' }
  task('test') {
    matrix os: ['linux', 'mac']
    needs 'compile'
    sh 'echo "testing on \${{ matrix.os }}"'
  }
  task('report') { needs 'test'; sh 'echo reported' }
}
""")
        String first = trigger('again-grid', 'grid')
        assert awaitEnd(first).status == 'succeeded'

        when:
        def reply = http.post("/runs/$first/rerun", [from: 'test'])

        then:
        reply.status == 201

        when:
        def rerun = awaitEnd(reply.json.key)
        def log = { String task -> http.get("/runs/${reply.json.key}/tasks/${URLEncoder.encode(task, 'UTF-8')}/log").text }

        then:
        rerun.status == 'succeeded'
        rerun.rerunFrom == 'test'
        log('compile').contains('reused the outputs and artifacts of run ' + first)
        log('test[os=linux]').contains('testing on linux')
        log('test[os=mac]').contains('testing on mac')
        log('report').contains('reported')
        ['test[os=linux]', 'test[os=mac]', 'report'].every { !log(it).contains('reused') }
    }

    def "a rerun from an empty or unknown task is refused naming the field 'from'"() {
        given:
        String first = succeededRun('again-named', 'named')

        when:
        def empty = http.post("/runs/$first/rerun", [from: ''])
        def emptyQuery = http.post("/runs/$first/rerun?from=")
        def unknown = http.post("/runs/$first/rerun", [from: 'tset'])

        then: 'an empty one would read as no task at all'
        [empty, emptyQuery].every {
            it.status == 400 && it.json.details == ['field: from'] &&
                    it.json.message == "'from' is empty: name the task to rerun from, or leave 'from' out to rerun the whole run"
        }

        and: 'a misspelt one lists the tasks there are'
        unknown.status == 422
        unknown.json.message == "no task 'tset' in run $first"
        unknown.json.details[0] == 'field: from'
        unknown.json.details.contains('task: test')
        http.get('/runs?project=again-named').json.total == 1
    }

    /** The key of a succeeded run of a new project of JOBFILE, greeting {@code greeting}. */
    String succeededRun(String project, String greeting) {
        freestyle(project, JOBFILE)
        String key = trigger(project, 'build', [parameters: [greeting: greeting]])
        assert awaitEnd(key).status == 'succeeded'
        key
    }

    private static Map<String, String> unzip(byte[] bytes) {
        def out = [:]
        new ZipInputStream(new ByteArrayInputStream(bytes)).withCloseable { zin ->
            for (def e = zin.nextEntry; e != null; e = zin.nextEntry) {
                if (!e.directory) out[e.name] = new String(zin.readAllBytes(), 'UTF-8')
            }
        }
        out
    }

    /** Reads a tar.gz with commons-compress: entry name → bytes. */
    private static Map<String, List<Byte>> untar(byte[] gz) {
        def out = [:]
        def tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gz)))
        for (def e = tar.nextEntry; e != null; e = tar.nextEntry) out[e.name] = tar.readAllBytes().toList()
        out
    }

    static class InterruptedIOExceptionStop extends RuntimeException {
    }
}
