package io.stoker.server.forge

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

/**
 * A generic webhook (an artifact registry's push notification, as Docker Hub sends it) over real HTTP: open to
 * callers without a user, it starts a run only with the token secret's value as bearer token, and reads the run's
 * parameters from the body by JSONPath.
 */
class GenericWebhookSpec extends ServerSpecification {
    static final String REGISTRY_PUSH = '''{
  "callback_url": "https://registry.hub.docker.com/u/svendowideit/testhook/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/",
  "push_data": {"pushed_at": 1417566161, "pusher": "trustedbuilder", "tag": "1.4.2"},
  "repository": {"comment_count": 0, "date_created": 1417494799, "description": "", "is_official": false,
                 "is_private": true, "is_trusted": true, "name": "testhook", "namespace": "svendowideit",
                 "owner": "svendowideit", "repo_name": "svendowideit/testhook", "repo_url": "https://registry.hub.docker.com/u/svendowideit/testhook/",
                 "star_count": 0, "status": "Active"}
}'''

    Http anonymous

    def setup() {
        anonymous = http.anonymous()
        if (http.get('/projects/registry').status == 404) {
            freestyle('registry', '''\
job('deploy') {
  parameters { string 'TAG'; string 'REPO', defaultValue: 'library/app'; string 'ENV', defaultValue: 'staging' }
  triggers { webhook token: 'HOOK_TOKEN', params: [TAG: '$.push_data.tag', REPO: '$.repository.repo_name', ENV: '$.env'] }
  task('t') { sh 'echo "deploying $REPO:$TAG to $ENV"' }
}
job('manual') {
  task('t') { sh 'true' }
}''')
            assert http.post('/secrets', [name: 'HOOK_TOKEN', value: 'registry-token-1', project: 'registry']).status == 201
        }
    }

    private Http.Reply hook(String path, String body, String token) {
        def headers = ['content-type': 'application/json']
        if (token != null) headers.Authorization = 'Bearer ' + token
        anonymous.postRaw(path, body.getBytes('UTF-8'), headers)
    }

    def "the token secret's value as bearer starts a run with params read by JSONPath; a missing path keeps its default"() {
        when:
        def reply = hook('/hooks/generic/registry/deploy', REGISTRY_PUSH, 'registry-token-1')

        then:
        reply.status == 202
        reply.json.runs*.job == ['deploy']
        def run = awaitEnd(reply.json.runs[0].key as String)
        run.status == 'succeeded'
        run.trigger == 'webhook'
        run.parameters == [TAG: '1.4.2', REPO: 'svendowideit/testhook', ENV: 'staging']
        http.get("/runs/${run.key}/tasks/t/log").text.contains('deploying svendowideit/testhook:1.4.2 to staging')
    }

    def "a sender that cannot set a header, as Docker Hub, gives the token as ?token=; a wrong one is a 401, both at once a 400"() {
        when: 'the URL as pasted into Docker Hub'
        def reply = hook('/hooks/generic/registry/deploy?token=registry-token-1', REGISTRY_PUSH, null)

        then:
        reply.status == 202
        def run = awaitEnd(reply.json.runs[0].key as String)
        run.status == 'succeeded'
        run.parameters.TAG == '1.4.2'

        expect:
        with(hook('/hooks/generic/registry/deploy?token=wrong', REGISTRY_PUSH, null)) {
            status == 401 && json.message == 'the ?token= does not match the webhook\'s token'
        }
        with(hook('/hooks/generic/registry/deploy?token=registry-token-1', REGISTRY_PUSH, 'registry-token-1')) {
            status == 400 && json.details == ['field: token']
        }
        with(hook('/hooks/generic/registry/deploy?tokn=registry-token-1', REGISTRY_PUSH, null)) {
            status == 400 && json.message == "unknown query parameter 'tokn'"
        }
    }

    def "a path the body lacks for a parameter without default is a 400 naming it"() {
        when:
        def reply = hook('/hooks/generic/registry/deploy', '{"repository": {"repo_name": "x/y"}}', 'registry-token-1')

        then:
        reply.status == 400
        reply.json.message == 'params.TAG: the body has nothing at $.push_data.tag and the parameter has no default'
    }

    def "a wrong or missing token is a 401; an unknown job or one without the trigger a 404; bad JSON a 400"() {
        expect:
        hook('/hooks/generic/registry/deploy', REGISTRY_PUSH, 'wrong').status == 401
        hook('/hooks/generic/registry/deploy', REGISTRY_PUSH, null).status == 401
        hook('/hooks/generic/registry/manual', REGISTRY_PUSH, 'registry-token-1').status == 404
        hook('/hooks/generic/nowhere/deploy', REGISTRY_PUSH, 'registry-token-1').status == 404
        with(hook('/hooks/generic/registry/deploy', '{"push_data": ', 'registry-token-1')) {
            status == 400
            json.message == 'the body is not valid JSON'
        }
        with(hook('/hooks/generic/registry/deploy', 'null', 'registry-token-1')) {
            status == 400
            json.message == 'the body is JSON null: send a JSON document (or no body)'
        }
        http.get('/runs?project=registry&job=manual').json.total == 0
    }
}
