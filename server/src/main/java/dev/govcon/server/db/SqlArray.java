package dev.govcon.server.db;

/**
 * An array handed to PostgreSQL as one parameter. MyBatis hashes every parameter value into
 * its statement cache key, which for plain arrays means hashing every element; this wrapper
 * hashes by identity, so a group write of thousands of rows does not pay for that.
 */
public final class SqlArray {
    private final Object array;

    private SqlArray(Object array) {
        this.array = array;
    }

    public static SqlArray of(Object array) {
        return new SqlArray(array);
    }

    Object array() {
        return array;
    }
}
