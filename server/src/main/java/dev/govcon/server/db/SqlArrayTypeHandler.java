package dev.govcon.server.db;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** Binds a {@link SqlArray}: the PostgreSQL driver encodes Java arrays itself. */
public final class SqlArrayTypeHandler extends BaseTypeHandler<SqlArray> {
    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, SqlArray parameter, JdbcType jdbcType)
            throws SQLException {
        ps.setObject(i, parameter.array());
    }

    @Override
    public SqlArray getNullableResult(ResultSet rs, String columnName) {
        throw new UnsupportedOperationException("SqlArray is for parameters only");
    }

    @Override
    public SqlArray getNullableResult(ResultSet rs, int columnIndex) {
        throw new UnsupportedOperationException("SqlArray is for parameters only");
    }

    @Override
    public SqlArray getNullableResult(CallableStatement cs, int columnIndex) {
        throw new UnsupportedOperationException("SqlArray is for parameters only");
    }
}
