package io.stoker.server.cluster

import spock.lang.Specification

import java.time.Duration

/** STOKER_CLUSTER_LEASE and STOKER_CLUSTER_ADDRESS as an operator writes them. */
class ClusterSettingsSpec extends Specification {
    def "a lease and an address are read from the environment, a lease of 30 s by default"() {
        expect:
        ClusterSettings.fromEnv([:]).lease() == Duration.ofSeconds(30)
        ClusterSettings.fromEnv([STOKER_CLUSTER_LEASE: '9s', STOKER_CLUSTER_ADDRESS: ' http://a:8080 ']).with {
            lease() == Duration.ofSeconds(9) && heartbeat() == Duration.ofSeconds(3) && address() == 'http://a:8080'
        }
    }

    def "a lease too short is refused in the operator's units, not the JVM's"() {
        when:
        ClusterSettings.fromEnv([STOKER_CLUSTER_LEASE: '100ms'])

        then:
        IllegalArgumentException e = thrown()
        e.message == 'STOKER_CLUSTER_LEASE must be at least 300ms, was 100ms'
    }
}
