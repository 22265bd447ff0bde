package io.stoker.server.notify

import com.fasterxml.jackson.databind.ObjectMapper
import io.stoker.engine.run.RunState
import io.stoker.model.NotifyEvent
import spock.lang.Specification

import java.time.Duration

/** The Slack message shows what a run's names, branch and log hold; it never lets them ping or disguise a link. */
class SlackPayloadSpec extends Specification {

    def "names, branch and log lines are escaped as Slack asks; the run's own link stays a link"() {
        given:
        def report = new RunReport('app', 'a<!channel>b&c', 7, 'k1', 'feat/<!here>', NotifyEvent.FAILED,
                RunState.FAILED, Duration.ofSeconds(3), 't<x>', ['see <https://evil.example|the docs> & more'],
                'http://127.0.0.1:8080/#/runs/k1', null)

        when:
        def json = new ObjectMapper().readTree(Payloads.slack(report))

        then:
        json.get('text').asText() == 'app/a&lt;!channel&gt;b&amp;c #7 failed — <http://127.0.0.1:8080/#/runs/k1|open the run>'
        def attachment = json.get('attachments').get(0)
        attachment.get('text').asText() == '```\nsee &lt;https://evil.example|the docs&gt; &amp; more\n```'
        attachment.get('fields').find { it.get('title').asText() == 'Branch' }.get('value').asText() == 'feat/&lt;!here&gt;'
        attachment.get('fields').find { it.get('title').asText() == 'Failed task' }.get('value').asText() == 't&lt;x&gt;'
        !Payloads.slack(report).contains('<!')
    }

    def "a run's duration reads as in its log: #duration is #text"() {
        given:
        def report = new RunReport('app', 'build', 7, 'k1', 'main', NotifyEvent.FAILED, RunState.FAILED, duration,
                't', [], 'http://127.0.0.1:8080/#/runs/k1', null)

        expect:
        new ObjectMapper().readTree(Payloads.slack(report)).get('attachments').get(0).get('fields')
                .find { it.get('title').asText() == 'Duration' }.get('value').asText() == text
        report.text().contains(" failed after $text")

        where:
        duration                              | text
        Duration.ofMillis(400)                | '400ms'
        Duration.ofMillis(119_900)            | '1m59s'
        Duration.ofSeconds(3723)              | '1h2m3s'
    }
}
