package io.stoker.server.endnews

import io.stoker.server.Http
import io.stoker.server.git.TestRepo
import io.stoker.server.outbox.Receiver

import java.nio.file.Files
import java.nio.file.Path

/**
 * Project {@code widget} of a real git repository (acme/widget under {@code dir/git}) whose commit statuses go to a
 * GitLab stand-in: the {@link Receiver}'s {@code /gl/api/v4}, with a token secret of the server.
 */
class GitLabStatusProject {
    static final String TOKEN = 'tok-5e5e-told-once'

    /** Makes the repository with {@code jobfile} on main and the project on the server; returns the repository. */
    static TestRepo create(Http http, Path dir, Receiver receiver, String jobfile) {
        def repo = TestRepo.create(Files.createDirectories(dir.resolve('git')).resolve('acme/widget.git'))
        repo.commit('main', 'first', [Jobfile: jobfile])
        assert http.post('/secrets', [name: 'FORGE_TOKEN', value: TOKEN]).status == 201
        assert http.post('/projects', [name: 'widget', gitUrl: repo.url(), branch: 'main', statusTokenSecret: 'FORGE_TOKEN',
                                       statusHost: 'gitlab', statusApiUrl: receiver.url('/gl/api/v4'),
                                       statusRepository: 'acme/widget']).status == 201
        repo
    }
}
