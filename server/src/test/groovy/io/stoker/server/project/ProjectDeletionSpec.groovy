package io.stoker.server.project

import io.stoker.server.Http
import io.stoker.server.ServerSpecification

import java.nio.file.Files

/**
 * A project's runs go with it when it is deleted, so a new project that takes the name starts afresh; a project
 * with a run not ended is not deleted until that run is cancelled.
 */
class ProjectDeletionSpec extends ServerSpecification {

    def "a deleted project's runs go with it: a new project of the name starts at #1 and reruns nothing of the old"() {
        given: 'a project with a finished run, its log and artifact directory on disk'
        freestyle('reused', "job('deploy') {\n  task('old') { sh 'echo the old project' }\n}\n")
        String oldKey = trigger('reused', 'deploy')
        assert awaitEnd(oldKey).status == 'succeeded'
        assert Files.isDirectory(dataDir.resolve('runs').resolve(oldKey))

        when:
        def deleted = http.delete('/projects/reused')

        then: 'the run, its log and its files are gone'
        deleted.status in [200, 204]
        http.get("/runs/$oldKey").status == 404
        http.get('/runs?project=reused').json.total == 0
        !Files.exists(dataDir.resolve('runs').resolve(oldKey))

        when: 'a new project takes the name'
        freestyle('reused', "job('deploy') {\n  task('new') { sh 'echo the new project' }\n}\n")
        String newKey = trigger('reused', 'deploy')

        then: 'its first run is #1, and the old run cannot be run again in it'
        awaitEnd(newKey).number == 1
        http.post("/runs/$oldKey/rerun", null).status == 404
        http.get('/runs?project=reused').json.runs*.key == [newKey]
    }

    def "a project with a run not ended is refused (409, naming the run) until the run is cancelled"() {
        given: 'a run waiting at an approval gate'
        freestyle('busy', "job('ship') {\n  task('gate') { approval 'Go?'; sh 'echo go' }\n}\n")
        String key = trigger('busy', 'ship')
        Http.eventually { http.get("/runs/$key").json.tasks.gate.status == 'waiting' }

        when:
        def refused = http.delete('/projects/busy')

        then: 'nothing is deleted, and the answer says what to do'
        refused.status == 409
        refused.json.message.contains('cancel it first')
        refused.json.details == [key]
        http.get('/projects/busy').status == 200
        http.get("/runs/$key").status == 200

        when: 'the run is cancelled'
        assert http.delete("/runs/$key").status in [200, 202]
        awaitEnd(key)

        then: 'the project and its run are deleted'
        http.delete('/projects/busy').status in [200, 204]
        http.get("/runs/$key").status == 404
    }
}
