package io.stoker.dsl

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

class CompileCacheSpec extends Specification {

    static final String YAML = 'jobs:\n  web:\n    tasks:\n      a: {sh: make}\n'

    @TempDir
    Path dir

    /** The real compiler, counting how often it runs. */
    AtomicInteger compiles = new AtomicInteger()
    Compiler counting = { String file, String text -> compiles.incrementAndGet(); new JobfileCompiler().compile(file, text) } as Compiler

    def "a Jobfile compiles once; the same text under another name is reported under that name"() {
        given:
        def cache = new CompileCache(counting)

        when:
        def first = cache.compile('Jobfile.yaml', YAML)
        def second = cache.compile('Jobfile.yaml', YAML)
        def renamed = cache.compile('ci/Jobfile.yml', YAML)

        then:
        compiles.get() == 1
        first.is(second)
        renamed.jobfile().file() == 'ci/Jobfile.yml'
        renamed.jobfile().jobs() == first.jobfile().jobs()
        cache.hits() == 2
        cache.misses() == 1
    }

    def "the syntax is part of the key, so the same text as JSON compiles again"() {
        given:
        def cache = new CompileCache(counting)

        when:
        cache.compile('Jobfile.yaml', '{"jobs": {"web": {"tasks": {"a": {"sh": "x"}}}}}')
        def json = cache.compile('Jobfile.json', '{"jobs": {"web": {"tasks": {"a": {"sh": "x"}}}}}')

        then:
        compiles.get() == 2
        json.jobfile().file() == 'Jobfile.json'
    }

    def "rejected results are cached too, with their diagnostics renamed"() {
        given:
        def cache = new CompileCache(counting)

        when:
        cache.compile('a.yaml', 'jobs:\n  web:\n    tasks:\n      a: {needs: b, sh: x}\n')
        def again = cache.compile('b.yaml', 'jobs:\n  web:\n    tasks:\n      a: {needs: b, sh: x}\n')

        then:
        compiles.get() == 1
        again.diagnostics()*.toString() == ["b.yaml:4:18: unknown task 'b' in needs"]
    }

    def "the cache is a bounded LRU"() {
        given:
        def cache = new CompileCache(counting, 2)

        when:
        cache.compile('Jobfile.yaml', YAML + '# 1')
        cache.compile('Jobfile.yaml', YAML + '# 2')
        cache.compile('Jobfile.yaml', YAML + '# 1')   // 1 is now the most recent
        cache.compile('Jobfile.yaml', YAML + '# 3')   // evicts 2
        cache.compile('Jobfile.yaml', YAML + '# 1')
        cache.compile('Jobfile.yaml', YAML + '# 2')

        then:
        cache.size() == 2
        compiles.get() == 4
    }

    def "concurrent requests for one text wait for a single compile"() {
        given:
        def gate = new CountDownLatch(1)
        def slow = { String file, String text -> gate.await(); compiles.incrementAndGet(); new JobfileCompiler().compile(file, text) } as Compiler
        def cache = new CompileCache(slow)
        def pool = Executors.newFixedThreadPool(8)

        when:
        def futures = (1..8).collect { pool.submit({ cache.compile('Jobfile.yaml', YAML) } as java.util.concurrent.Callable) }
        gate.countDown()
        def results = futures*.get()

        then:
        compiles.get() == 1
        results.every { it == results[0] }

        cleanup:
        pool?.shutdownNow()
    }

    def "the facade picks the front end by file name"() {
        expect:
        JobfileCompiler.Syntax.of(name) == syntax

        where:
        name               | syntax
        'Jobfile'          | JobfileCompiler.Syntax.GROOVY
        'ci/Jobfile.yaml'  | JobfileCompiler.Syntax.YAML
        'Jobfile.YML'      | JobfileCompiler.Syntax.YAML
        'x.json'           | JobfileCompiler.Syntax.JSON
        'build.groovy'     | JobfileCompiler.Syntax.GROOVY
    }

    def "find looks for Jobfile, Jobfile.yaml, Jobfile.yml, Jobfile.json in that order"() {
        expect:
        JobfileCompiler.find(dir).isEmpty()

        when:
        Files.writeString(dir.resolve('Jobfile.json'), '{}')
        Files.writeString(dir.resolve('Jobfile.yml'), '')

        then:
        JobfileCompiler.find(dir).get() == dir.resolve('Jobfile.yml')

        when:
        Files.writeString(dir.resolve('Jobfile'), '')

        then:
        JobfileCompiler.find(dir).get() == dir.resolve('Jobfile')
    }
}
