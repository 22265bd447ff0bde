package io.stoker.engine.log;

import java.io.IOException;

/** Port where task logs are written. */
public interface LogSink {

    /** Opens (creating or appending to) the log of one task of a run. */
    TaskLog open(String runKey, String task) throws IOException;
}
