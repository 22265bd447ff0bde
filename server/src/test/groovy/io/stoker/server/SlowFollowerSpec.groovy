package io.stoker.server

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * A follower that reads slower than the task writes still gets every line: the follow ends when the reader has
 * reached the log's end, however long after the run ended that is (the bench found a follower cut 2 s after the end
 * with 43,280 of 200,000 lines).
 */
class SlowFollowerSpec extends ServerSpecification {

    def "a follower that falls behind a finished task still receives every line, in order"() {
        given: 'a task writing far more than the connection buffers hold'
        freestyle('slow', "job('lines') { task('t') { sh 'seq 1 200000' } }")
        String key = trigger('slow', 'lines')
        def request = HttpRequest.newBuilder(URI.create("${server.url()}/api/v1/runs/$key/tasks/t/log?follow=true"))
                .header('authorization', "Bearer $http.token").build()
        def response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream())
        def reader = new BufferedReader(new InputStreamReader(response.body(), 'UTF-8'))

        when: 'the client reads one line, then stops reading until the run has ended and a while after'
        String first = reader.readLine()
        assert awaitEnd(key).status == 'succeeded'
        Thread.sleep(3_000) // the client is slow on purpose: longer than any grace the server may give after the end
        List<String> rest = []
        for (String line = reader.readLine(); line != null; line = reader.readLine()) rest << line

        List<Integer> numbers = ([first] + rest).findAll { it.contains(' out ') }
                .collect { it.substring(it.lastIndexOf(' ') + 1) as int }
        int received = numbers.size()
        boolean inOrder = numbers == (1..received).toList()

        then:
        received == 200_000
        inOrder
    }
}
