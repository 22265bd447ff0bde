package io.stoker.server.cluster;

import java.sql.SQLException;
import java.util.List;

/** The servers {@code GET /cluster} lists: this one alone on H2, every member on a shared PostgreSQL database. */
@FunctionalInterface
public interface ClusterView {
    List<ClusterServer> servers() throws SQLException;
}
