package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Path

/**
 * {@code stoker caches} against a real server: a run's task saves its cache, the command lists it, drops one key's
 * caches or every one, and refuses an unknown project or key with exit 2.
 */
@Stepwise
class CachesCommandSpec extends RemoteCliSpecification {
    static final String JOBFILE = '''
job('build') {
  task('deps') {
    cache 'deps', key: 'deps'
    sh 'mkdir -p deps && echo lib > deps/lib.jar'
  }
}
'''

    @Shared @TempDir Path work

    def setupSpec() {
        Path f = work.resolve('Jobfile')
        f.text = JOBFILE
        assert stoker('project', 'add', 'shop', '--jobfile', f).exit == 0
    }

    /** The project's caches as the server's JSON lists them. */
    List<Map> caches() {
        new ObjectMapper().readValue(stoker('caches', 'shop', '--json').out, List)
    }

    String saveOne() {
        def run = stoker('trigger', 'shop/build', '--follow')
        assert run.exit == 0: run
        caches()*.key.first()
    }

    def "a project without caches says so and how a task keeps one"() {
        expect:
        with(stoker('caches', 'shop')) {
            exit == 0
            out.trim() == "project shop has no caches; a task keeps one with 'cache' (see the README's Caches)"
        }
    }

    def "a run's cache is listed with its scope, key, size and last use"() {
        when:
        String key = saveOne()
        def table = stoker('caches', 'shop')

        then:
        key ==~ /deps-[0-9a-f]{8}/
        table.exit == 0
        table.out.readLines()[0] ==~ /SCOPE\s+KEY\s+SIZE\s+LAST USED/
        table.out.readLines()[1] ==~ /(no branch|branch \S+)\s+${key}\s+\d+\s+\d{4}-\d\d-\d\dT\S+/
        table.out.readLines().size() == 2
    }

    def "an unknown project or key is refused with exit 2, and nothing is dropped"() {
        expect:
        with(stoker('caches', 'nope')) { exit == 2 && err.readLines()[0].contains("nope") }
        with(stoker('caches', 'shop', '--delete', 'deps-00000000')) {
            exit == 2
            err.readLines() == ["stoker: project 'shop' has no cache 'deps-00000000'"]
        }
        with(stoker('caches', 'shop', '--delete', '')) {
            exit == 2
            err.readLines()[0] == "stoker: --delete takes a cache's key as stoker caches shop lists it, not an empty " +
                    'text; --delete-all drops every cache'
        }
        stoker('caches', 'shop', '--delete', 'x', '--delete-all').exit == 2
        caches().size() == 1
    }

    def "--delete KEY drops that key's caches and --delete-all every cache"() {
        given:
        String key = caches()*.key.first()

        when:
        def one = stoker('caches', 'shop', '--delete', key)

        then:
        one.exit == 0
        one.out.trim() == "dropped 1 cache of key $key of project shop"
        caches() == []

        when: 'saved again by the next run, then dropped with the rest'
        saveOne()
        def all = stoker('caches', 'shop', '--delete-all')

        then:
        all.exit == 0
        all.out.trim() == 'dropped 1 cache of project shop'
        caches() == []
    }
}
