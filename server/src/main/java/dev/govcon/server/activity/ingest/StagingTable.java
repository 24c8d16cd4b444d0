package dev.govcon.server.activity.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.ibatis.session.SqlSession;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The session's temporary table {@code ingest_staging} that a group is COPY'd into before one
 * statement writes it to the records and rollups ({@code recordStaged}). COPY, not array
 * parameters or a multi-row VALUES: the group travels as one binary stream that PostgreSQL
 * stores without parsing a statement or array literals per row.
 *
 * <p>The table is created once per physical connection ({@code ON COMMIT DELETE ROWS}, so each
 * transaction starts with it empty), not per transaction, which would churn the catalog. The
 * statements are in IngestMapper.xml; the COPY command is read from there too and run here,
 * because MyBatis has no way to stream COPY data.
 */
final class StagingTable {
    private static final String COPY_STATEMENT = IngestMapper.class.getName() + ".copyStaging";

    /** Physical connections that have the table; weak, so connections the pool retires go. */
    private final Set<PGConnection> prepared = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * COPYs {@code rows} into the staging table. Must come first in the session's transaction:
     * on a connection without the table, it creates the table and commits that.
     */
    void copy(SqlSession session, StagingRows rows) {
        try {
            Connection connection = session.getConnection();
            PGConnection pg = connection.unwrap(PGConnection.class);
            if (!prepared.contains(pg)) {
                session.getMapper(IngestMapper.class).createStaging();
                session.commit(true);
                prepared.add(pg);
            }
            String command = session.getConfiguration().getMappedStatement(COPY_STATEMENT)
                    .getBoundSql(null).getSql();
            CopyIn in = pg.getCopyAPI().copyIn(command);
            try {
                in.writeToCopy(rows.buffer(), 0, rows.length());
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not stage a group of completions: " + e.getMessage(), e);
        }
    }
}
