package io.stoker.engine.trigger

import spock.lang.Specification

/** The one rule that stops jobs triggering each other forever, on the server and in local runs alike. */
class TriggerChainSpec extends Specification {

    def "the chain lists the jobs from the triggering run up to the top, nearest first"() {
        given:
        def links = [k3: new TriggerChain.Link('c', 'k2'), k2: new TriggerChain.Link('b', 'k1'), k1: new TriggerChain.Link('a', null)]

        when:
        def chain = TriggerChain.walk('k3') { links[it] }

        then:
        chain.jobs() == ['c', 'b', 'a']
        chain.cycleWith('b').get() == ['a', 'b', 'c', 'b']
        !chain.cycleWith('d').isPresent()
    }

    def "a walk stops after MAX + 1 runs even when the links loop"() {
        when:
        def chain = TriggerChain.walk('k') { new TriggerChain.Link('j', 'k') }

        then:
        chain.jobs().size() == TriggerChain.MAX + 1
    }

    def "a chain of #length runs may extend: #may"() {
        expect:
        TriggerChain.mayExtend(length) == may

        where:
        length               | may
        0                    | true
        TriggerChain.MAX - 1 | true
        TriggerChain.MAX     | false
    }
}
