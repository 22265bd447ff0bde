package io.stoker.server.api

import io.stoker.server.Http
import io.stoker.server.audit.AuditLog
import io.stoker.server.auth.Access
import io.stoker.server.auth.Principal
import io.stoker.server.auth.Role
import io.stoker.server.db.Database
import io.stoker.server.secret.MasterKey
import io.stoker.server.secret.SecretBox
import io.stoker.server.secret.SecretStore
import io.vertx.core.Vertx
import io.vertx.core.http.HttpServer
import io.vertx.ext.web.Router
import io.vertx.ext.web.handler.BodyHandler
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.sql.Connection
import java.time.Clock
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/**
 * The secret routes' own role and membership checks and audit records, over real HTTP and a real H2 store. The
 * caller's principal is put on the context from a test header, as the authentication middleware does from a token
 * (AuthSpec and RolesSpec cover that middleware).
 */
class SecretRolesSpec extends Specification {
    @Shared @TempDir Path dataDir
    @Shared Vertx vertx = Vertx.vertx()
    @Shared HttpServer server
    @Shared Database db
    @Shared List<Map> audit = new CopyOnWriteArrayList<>()
    @Shared String base

    /** Keeps what the routes record, to check it (the H2 audit log is the auth work's). */
    static class RecordingAuditLog implements AuditLog {
        final List<Map> into

        RecordingAuditLog(List<Map> into) { this.into = into }

        void record(String actor, String action, String target, Map<String, ?> detail) {
            into << [actor: actor, action: action, target: target, detail: detail]
        }
    }

    def setupSpec() {
        db = Database.open(dataDir)
        db.connection().withCloseable { Connection c ->
            c.createStatement().execute("INSERT INTO projects (name, jobfile, jobfile_name, created_at, updated_at)"
                    + " VALUES ('web', 'x', 'Jobfile', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
            // developer-user is a member of 'web'; outsider is a developer who is not
            for (String u : ['developer-user', 'outsider']) {
                c.createStatement().execute("INSERT INTO users (username, password_hash, role, created_at, sessions_after)"
                        + " VALUES ('$u', 'x', 'developer', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
            }
            c.createStatement().execute("INSERT INTO project_members (project_id, username, added_at)"
                    + " SELECT id, 'developer-user', CURRENT_TIMESTAMP FROM projects WHERE name = 'web'")
        }
        def store = new SecretStore(db, new SecretBox(MasterKey.load(dataDir, [:])), Clock.systemUTC())
        Router api = Router.router(vertx)
        api.route().handler(BodyHandler.create(false))
        api.route().handler { ctx ->
            String role = ctx.request().getHeader('X-Test-Role')
            String user = ctx.request().getHeader('X-Test-User') ?: role?.toLowerCase() + '-user'
            if (role) ctx.put(Access.PRINCIPAL, new Principal(user, Role.valueOf(role)))
            ctx.next()
        }
        new SecretRoutes(store, new RecordingAuditLog(audit), new io.stoker.server.auth.ProjectMembers(db)).mount(api)
        api.route().failureHandler(new FailureHandler())
        Router root = Router.router(vertx)
        root.route('/api/v1/*').subRouter(api)
        server = vertx.createHttpServer().requestHandler(root).listen(0, '127.0.0.1')
                .toCompletionStage().toCompletableFuture().get(30 * io.stoker.server.Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        base = "http://127.0.0.1:${server.actualPort()}"
    }

    def cleanupSpec() {
        vertx.close().toCompletionStage().toCompletableFuture().get(30 * io.stoker.server.Http.TIMEOUT_FACTOR, TimeUnit.SECONDS)
        db?.close()
    }

    Http.Reply send(String role, String method, String path, Map body = null, String user = null) {
        def http = new Http(base)
        def b = java.net.http.HttpRequest.newBuilder(URI.create(base + '/api/v1' + path))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body)))
                .header('content-type', 'application/json').header('X-Test-Role', role)
        if (user) b.header('X-Test-User', user)
        def r = http.client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        new Http.Reply(status: r.statusCode(), text: r.body(), headers: r.headers().map())
    }

    def "global secrets need the admin role, project secrets the developer role, viewers change nothing"() {
        expect:
        send(role, method, path, body).status == status

        where:
        role        | method   | path                       | body                                              || status
        'DEVELOPER' | 'POST'   | '/secrets'                 | [name: 'G1', value: 'global-1']                   || 403
        'DEVELOPER' | 'GET'    | '/secrets'                 | null                                              || 403
        'ADMIN'     | 'POST'   | '/secrets'                 | [name: 'G1', value: 'global-1']                   || 201
        'DEVELOPER' | 'PUT'    | '/secrets/G1'              | [value: 'global-2']                               || 403
        'DEVELOPER' | 'DELETE' | '/secrets/G1'              | null                                              || 403
        'VIEWER'    | 'POST'   | '/secrets'                 | [name: 'P1', value: 'project-1', project: 'web']  || 403
        'DEVELOPER' | 'POST'   | '/secrets'                 | [name: 'P1', value: 'project-1', project: 'web']  || 201
        'DEVELOPER' | 'GET'    | '/secrets?project=web'     | null                                              || 200
        'DEVELOPER' | 'PUT'    | '/secrets/P1?project=web'  | [value: 'project-2']                              || 200
        'VIEWER'    | 'DELETE' | '/secrets/P1?project=web'  | null                                              || 403
        'DEVELOPER' | 'DELETE' | '/secrets/P1?project=web'  | null                                              || 204
        'ADMIN'     | 'DELETE' | '/secrets/G1'              | null                                              || 204
    }

    def "a developer who is not a member of the project cannot list its secrets; an admin can"() {
        given:
        assert send('DEVELOPER', 'POST', '/secrets', [name: 'LISTED', value: 'listed-value', project: 'web']).status == 201

        when:
        def outsider = send('DEVELOPER', 'GET', '/secrets?project=web', null, 'outsider')

        then:
        outsider.status == 403
        outsider.json.message == "you are not a member of project 'web'"
        !outsider.text.contains('LISTED')
        send('DEVELOPER', 'GET', '/secrets?project=web').json*.name.contains('LISTED')
        send('ADMIN', 'GET', '/secrets?project=web').json*.name.contains('LISTED')

        cleanup:
        send('DEVELOPER', 'DELETE', '/secrets/LISTED?project=web')
    }

    def "a developer who is not a member of the project cannot change its secrets"() {
        expect:
        send('DEVELOPER', 'POST', '/secrets', [name: 'P9', value: 'outsider-value', project: 'web'], 'outsider').status == 403
        send('DEVELOPER', 'PUT', '/secrets/P9?project=web', [value: 'outsider-value'], 'outsider').status == 403
        send('DEVELOPER', 'DELETE', '/secrets/P9?project=web', null, 'outsider').status == 403
    }

    def "every write is audited with its actor and scope, and no value"() {
        expect:
        audit.findAll { it.target in ['G1', 'P1'] }.collect { [it.actor, it.action, it.target, it.detail.scope] } == [
                ['admin-user', 'secret.created', 'G1', 'global'],
                ['developer-user', 'secret.created', 'P1', 'project'],
                ['developer-user', 'secret.updated', 'P1', 'project'],
                ['developer-user', 'secret.deleted', 'P1', 'project'],
                ['admin-user', 'secret.deleted', 'G1', 'global']]
        audit.every { it.detail.toString().indexOf('global-') < 0 && it.detail.toString().indexOf('project-1') < 0 }
        audit.findAll { it.target == 'P1' }.every { it.detail.project == 'web' }
    }
}
