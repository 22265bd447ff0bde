package io.stoker.server.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * The one pooled H2 connection in use (see {@link Database#connection()}): closing it gives it back to the pool and
 * then lets the next caller have one.
 */
final class ExclusiveConnection implements InvocationHandler {
    private final Connection target;
    private final Runnable released;
    private boolean closed;

    private ExclusiveConnection(Connection target, Runnable released) {
        this.target = target;
        this.released = released;
    }

    /** {@code released} runs once, after the connection went back to the pool. */
    static Connection wrap(Connection c, Runnable released) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new ExclusiveConnection(c, released));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
            if (closed) return null;
            closed = true;
            try {
                target.close();
            } finally {
                released.run();
            }
            return null;
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
