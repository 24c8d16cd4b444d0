package dev.govcon.server.analytics;

import java.util.UUID;

record CountRow(UUID controlId, long n) {
}
