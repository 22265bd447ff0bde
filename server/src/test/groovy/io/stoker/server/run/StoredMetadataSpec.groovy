package io.stoker.server.run

import spock.lang.Specification

/** A run's metadata column holds who started it beside the trigger's metadata, and gives both back as they were. */
class StoredMetadataSpec extends Specification {

    def "metadata and the user who started the run come back as stored: #metadata by #by"() {
        when:
        def read = StoredMetadata.read(new StoredMetadata(metadata, by).json())

        then:
        read.metadata() == metadata
        read.startedBy() == by

        where:
        metadata                                    | by
        [ticket: 'SHOP-7']                          | 'dana'
        'a plain string'                            | 'dana'
        null                                        | 'dana'
        [push: [host: 'github', by: 'octocat']]     | null
        // a caller's metadata that looks like the envelope is still the caller's, as given
        ['stoker.startedBy': 'mallory']             | 'dana'
        null                                        | null
    }

    def "a column written before runs named their starter reads as metadata alone"() {
        expect:
        StoredMetadata.read('{"cron": {"scheduledAt": "2026-01-05T03:00:00Z"}}') ==
                new StoredMetadata([cron: [scheduledAt: '2026-01-05T03:00:00Z']], null)
        StoredMetadata.read(null) == new StoredMetadata(null, null)
    }
}
