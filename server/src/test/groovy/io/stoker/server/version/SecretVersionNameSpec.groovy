package io.stoker.server.version

import io.stoker.server.ServerSpecification

/**
 * A version's name is listed to every reader, used in URLs and on disk: a secret never becomes one, neither through
 * an output that holds it (the publish fails in words) nor read directly (the Jobfile is refused).
 */
class SecretVersionNameSpec extends ServerSpecification {
    static final String PV = 'PubSecretVal88'

    def "a publish whose version would carry a secret through an output fails the run, and nothing is published"() {
        given:
        freestyle('pub2', '''
job('rel2') {
  publish version: 'w-${{ outputs.b.v }}'
  task('b') { secrets 'PV'; sh 'echo "v=$PV" >> "$STOKER_OUTPUT"; mkdir -p dist && echo x > dist/a.txt'; artifacts 'dist/**' }
}
''')
        assert http.post('/secrets', [name: 'PV', value: PV, project: 'pub2']).status == 201

        when:
        String key = trigger('pub2', 'rel2')
        def run = awaitEnd(key)
        def log = http.get("/runs/$key/tasks/b/log").text

        then:
        run.status == 'failed'
        log.contains("would carry a secret value into the version's name")
        !log.contains(PV)
        http.get('/projects/pub2/versions').json.total == 0
        !http.get('/projects/pub2/versions').text.contains(PV)
    }

    def "a publish version that reads a secret is refused when the Jobfile is checked"() {
        given:
        String jobfile = '''
job('rel3') {
  secrets 'PV'
  publish version: 'v-${{ secrets.PV }}'
  task('b') { sh 'mkdir -p dist && echo x > dist/a.txt'; artifacts 'dist/**' }
}
'''

        when:
        def checked = http.post('/validate', [jobfile: jobfile]).json
        def created = http.post('/projects', [name: 'pub3', jobfile: jobfile])

        then:
        !checked.valid
        checked.diagnostics*.message.any { it.contains('publish version cannot read secrets') }
        created.status in [400, 422]
        created.text.contains('publish version cannot read secrets')
        http.get('/projects/pub3').status == 404
    }
}
