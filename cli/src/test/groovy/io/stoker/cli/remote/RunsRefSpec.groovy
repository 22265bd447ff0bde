package io.stoker.cli.remote

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification

class RunsRefSpec extends Specification {

    def "stoker runs shows what a run was built from: its branch, a tag push's tag, or nothing"() {
        expect:
        RunsCommand.ref(new ObjectMapper().readTree(run)) == ref

        where:
        run                                    || ref
        '{"branch": "main", "tag": null}'      || 'main'
        '{"branch": null, "tag": "v1.2.0"}'    || 'tag:v1.2.0'
        '{"tag": "v2"}'                        || 'tag:v2'
        '{"branch": null, "tag": null}'        || null
        '{}'                                   || null
    }
}
