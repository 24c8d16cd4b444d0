package dev.govcon.server.lessons;

record KindCountRow(String kind, long count) {
}
