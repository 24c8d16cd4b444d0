package dev.govcon.server.activity.ingest;

/** A staged completion that was not written, with the content hash of the record its run already has. */
record StagedRecord(int seq, byte[] contentHash) {
}
