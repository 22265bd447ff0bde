package io.stoker.server.audit

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

/**
 * What changes a project, stops a run or removes a released version goes to the audit log, with who did it;
 * an update names the settings it changed and never a secret's value.
 */
class ProjectAuditSpec extends ServerSpecification {
    static final String JOBFILE = '''
job('build') { task('t') { sh 'echo built' } }
job('slow') { task('t') { sh 'sleep 600' } }
job('rel') {
  publish version: 'v1'
  task('t') { sh 'mkdir -p dist && echo x > dist/a.txt'; artifacts 'dist/**' }
}
'''

    List<Map> audited(String action, String target) {
        http.get("/audit?action=$action&limit=1000").json.findAll { it.target == target }
    }

    def "creating, updating, opening, closing and deleting a project are audited, the update naming what changed"() {
        when:
        freestyle('aud', JOBFILE)
        assert http.put('/projects/aud', [webhookSecret: 'hook-secret-value-123', allowForkBuilds: true]).status == 200
        assert http.put('/projects/aud/public', [public: true]).status == 200
        assert http.put('/projects/aud/public', [public: false]).status == 200
        assert http.delete('/projects/aud').status == 204

        then:
        audited('project.created', 'aud')*.subMap('actor', 'detail') == [[actor: 'admin', detail: [kind: 'freestyle']]]
        audited('project.updated', 'aud')*.detail == [[changed: ['webhookSecret', 'allowForkBuilds']]]
        audited('project.public', 'aud')*.actor == ['admin']
        audited('project.private', 'aud')*.actor == ['admin']
        audited('project.deleted', 'aud')*.actor == ['admin']
        !http.get('/audit?limit=1000').text.contains('hook-secret-value-123')
    }

    def "cancelling a run is audited with its project and job"() {
        given:
        freestyle('audrun', JOBFILE)
        String key = trigger('audrun', 'slow')
        Http.eventually { http.get("/runs/$key").json.status == 'running' }

        when:
        def cancel = http.delete("/runs/$key")
        awaitEnd(key)

        then:
        cancel.status == 202
        audited('run.cancelled', key)*.subMap('actor', 'detail') == [[actor: 'admin', detail: [project: 'audrun', job: 'slow']]]
    }

    def "deleting a published version is audited"() {
        given:
        freestyle('audver', JOBFILE)
        assert awaitEnd(trigger('audver', 'rel')).status == 'succeeded'

        when:
        def deleted = http.delete('/projects/audver/versions/v1')

        then:
        deleted.status == 204
        audited('version.deleted', 'audver/v1')*.subMap('actor', 'detail') == [[actor: 'admin', detail: [force: false]]]
    }

    def "a deleted project's public flag goes with it: a new project of the name is not public"() {
        given:
        freestyle('recyc', JOBFILE)
        assert http.put('/projects/recyc/public', [public: true]).status == 200
        assert http.get('/public-projects').json.contains('recyc')

        when:
        assert http.delete('/projects/recyc').status == 204
        freestyle('recyc', JOBFILE)

        then:
        !http.get('/public-projects').json.contains('recyc')
        http.anonymous().get('/projects/recyc/jobs/build/badge.svg').status == 404
    }
}
