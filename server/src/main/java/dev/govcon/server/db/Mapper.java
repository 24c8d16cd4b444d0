package dev.govcon.server.db;

/**
 * Marks a MyBatis mapper interface. The database registers every subinterface under
 * {@code dev.govcon.server}; its SQL lives in an XML file of the same name and package.
 */
public interface Mapper {
}
