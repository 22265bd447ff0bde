package io.stoker.server.db;

import org.h2.api.ErrorCode;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a failure of the store itself (H2 could not write its file, and closed the database; PostgreSQL's disk is
 * full) from any other: the
 * former is said to the operator and the client in words ("the database cannot be written: no space left on device")
 * and answered 503, not as an internal error. H2 closes its database on the first write to the file that fails, and
 * every use of it after that fails with {@code DATABASE_IS_CLOSED}, carrying the first failure as its cause.
 */
public final class StoreFailure {
    /** H2's codes for a failure that closed the database or came from its file. */
    private static final Set<Integer> STORE_CODES = Set.of(ErrorCode.DATABASE_IS_CLOSED, ErrorCode.GENERAL_ERROR_1,
            ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2);
    /** PostgreSQL's SQLSTATE {@code disk_full} (class 53, insufficient resources). */
    private static final String DISK_FULL = "53100";
    /** Causes followed at most (a cycle or a very deep chain ends the walk). */
    private static final int MAX_DEPTH = 32;

    private StoreFailure() {
    }

    /**
     * The store's failure in words when {@code failure} is one: an H2 exception of the database being closed or of its
     * file, caused by an I/O error ("the database cannot be written: no space left on device"), or the database
     * closed without one ("the database was closed by an error"). Empty for anything else.
     */
    public static Optional<String> reason(Throwable failure) {
        SQLException store = storeException(failure);
        if (store == null) return Optional.empty();
        // PostgreSQL keeps its database open and says which resource ran out by SQLSTATE
        if (DISK_FULL.equals(store.getSQLState())) return Optional.of("the database cannot be written: its disk is full");
        // the innermost I/O error under H2's exception: a caller's own IOException around it says less
        IOException io = null;
        boolean reading = false;
        int depth = 0;
        for (Throwable t = store; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof IOException e) io = e;
            // H2's own words for a failed read of its file ("Reading from … failed"); a write says "Writing to"
            if (t.getMessage() != null && t.getMessage().contains("Reading from ")) reading = true;
        }
        if (io != null) return Optional.of("the database cannot be " + (reading ? "read" : "written") + ": " + words(io));
        return store.getErrorCode() == ErrorCode.DATABASE_IS_CLOSED ? Optional.of("the database was closed by an error")
                : Optional.empty();
    }

    /** The first H2 exception of the store in the chain (causes, and a SQLException's next ones), or null. */
    private static SQLException storeException(Throwable failure) {
        var seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) todo.add(failure);
        while (!todo.isEmpty() && seen.size() < MAX_DEPTH) {
            Throwable t = todo.poll();
            if (!seen.add(t)) continue;
            if (t instanceof SQLException e) {
                if (STORE_CODES.contains(e.getErrorCode()) || DISK_FULL.equals(e.getSQLState())) return e;
                if (e.getNextException() != null) todo.add(e.getNextException());
            }
            if (t.getCause() != null) todo.add(t.getCause());
        }
        return null;
    }

    /** The I/O error's own message ("No space left on device") as the end of a sentence. */
    private static String words(IOException e) {
        String m = e.getMessage() == null ? "an input/output error" : e.getMessage().lines().findFirst().orElse("").trim();
        if (m.isEmpty()) return "an input/output error";
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
