package io.stoker.server.run;

import java.time.Instant;

/**
 * A user's cancel of a run, as stored with the run: who asked for it and when (the run may end a little later,
 * once its processes are gone).
 *
 * @param by the user's name
 * @param at when the cancel was asked for
 */
public record CancelAsked(String by, Instant at) {
}
