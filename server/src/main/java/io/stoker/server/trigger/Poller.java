package io.stoker.server.trigger;

import io.stoker.server.git.GitCredentials;
import io.stoker.server.git.GitMirrors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SCM polling: syncs a project's mirror and reports which branches got new commits since the heads seen last
 * time. The last-seen heads are data the caller stores (the server keeps them in its database). To start without
 * building every existing branch, seed them with {@code mirrors.sync(...).branches()} or a first poll's
 * {@link PollResult#heads()}. Blocks on the network: run it on a worker thread.
 */
public final class Poller {
    private final GitMirrors mirrors;

    public Poller(GitMirrors mirrors) {
        this.mirrors = mirrors;
    }

    /**
     * @param lastSeen branch → SHA from the previous poll; an empty map reports every branch as new
     * @throws io.stoker.server.git.GitMirrorException when the fetch fails (the last-seen heads stay valid)
     */
    public PollResult poll(String project, String url, GitCredentials credentials, Map<String, String> lastSeen) {
        Map<String, String> heads = mirrors.sync(project, url, credentials).branches();
        List<BranchChange> changes = new ArrayList<>();
        heads.forEach((branch, commit) -> {
            String previous = lastSeen.get(branch);
            if (!commit.equals(previous)) {
                changes.add(new BranchChange(branch, previous, commit));
            }
        });
        return new PollResult(heads, changes);
    }
}
