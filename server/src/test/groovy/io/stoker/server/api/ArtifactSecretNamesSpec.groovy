package io.stoker.server.api

import io.stoker.server.ServerSpecification

/** The artifact listing names a task's files masked as its log is: a file named after a secret does not show it. */
class ArtifactSecretNamesSpec extends ServerSpecification {
    static final String TOKEN = 'SuperSecretAlphaValue42'

    def "a file whose path holds a secret value is listed with the value masked"() {
        given:
        freestyle('alpha', '''
job('build') {
  task('t') {
    secrets 'ALPHA_TOKEN'
    sh 'mkdir -p dist && echo hi > "dist/$ALPHA_TOKEN.txt" && echo plain > dist/plain.txt && echo "made $ALPHA_TOKEN"'
    artifacts 'dist/**'
  }
}
''')
        assert http.post('/secrets', [name: 'ALPHA_TOKEN', value: TOKEN, project: 'alpha']).status == 201

        when:
        String key = trigger('alpha', 'build')
        assert awaitEnd(key).status == 'succeeded'
        def listing = http.get("/runs/$key/artifacts")

        then:
        listing.status == 200
        listing.json[0].files*.path.sort() == ['dist/****.txt', 'dist/plain.txt']
        listing.json[0].fileCount == 2
        !listing.text.contains(TOKEN)
        http.get("/runs/$key/tasks/t/log").text.contains('made ****')
    }
}
