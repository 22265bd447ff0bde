package io.stoker.server.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A connection whose {@code close()} first runs {@code CHECKPOINT}, so every commit made on it is in the database
 * file before the caller answers anyone (see {@link Database} for why a commit alone is not).
 */
final class DurableConnection implements InvocationHandler {
    private final Connection target;
    private final Runnable released;
    private boolean closed;

    private DurableConnection(Connection target, Runnable released) {
        this.target = target;
        this.released = released;
    }

    /** {@code released} runs once, after the connection went back to the pool. */
    static Connection wrap(Connection c, Runnable released) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new DurableConnection(c, released));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
            if (closed) return null;
            closed = true;
            try {
                if (!target.isClosed() && target.getAutoCommit()) checkpoint();
            } finally {
                try {
                    target.close();
                } finally {
                    released.run();
                }
            }
            return null;
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void checkpoint() throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }
}
