package io.stoker.agent.program;

import io.stoker.agent.protocol.Frame;

/** Where a task's frames go: its owner's connection of the moment, or nowhere while there is none. */
interface Peers {
    /** Sends to the owner's current connection; a frame sent while there is none is lost (a resume brings it again). */
    void send(Frame frame);
}
