package io.stoker.server.trigger

import io.stoker.engine.run.RunState
import io.stoker.server.run.RunRow
import spock.lang.Specification

import java.time.Instant

/** The typed link a downstream run stores back to the run that started it, and the chain bound built on it. */
class UpstreamLinkSpec extends Specification {

    def "an after-trigger's link names the upstream run and is one longer than its chain"() {
        given:
        def up = run('k1', 4, [upstream: [run: 'k0', project: 'p', job: 'build', number: 1, chain: 2]])

        when:
        def link = UpstreamLink.after(up)

        then:
        link.metadata() == [upstream: [run: 'k1', project: 'p', job: 'test', number: 4L, chain: 3]]
        UpstreamLink.of(link.metadata()).get() == link
    }

    def "a trigger step's link also names the task and whether it waits"() {
        expect:
        UpstreamLink.step(run('k1', 7, null), 'deploy', true).metadata() ==
                [upstream: [run: 'k1', project: 'p', job: 'test', number: 7L, chain: 1, task: 'deploy', wait: true]]
    }

    def "a run nothing started has no link and a chain of 0; a chain of #chain may extend: #may"() {
        expect:
        !UpstreamLink.of(null).isPresent()
        !UpstreamLink.of([push: [branch: 'main']]).isPresent()
        UpstreamLink.chainOf(run('k', 1, null)) == 0
        UpstreamLink.mayExtend(run('k', 1, [upstream: [run: 'x', chain: chain]])) == may

        where:
        chain                      | may
        0                          | true
        UpstreamLink.MAX_CHAIN - 1 | true
        UpstreamLink.MAX_CHAIN     | false
    }

    private static RunRow run(String key, long number, Object metadata) {
        new RunRow(1, key, number, 'p', 'test', 'api', null, null, null, [:], metadata, RunState.SUCCEEDED, '',
                null, null, Instant.EPOCH, null, null, [])
    }
}
