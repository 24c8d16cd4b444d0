package dev.govcon.server.lessons;

import com.google.protobuf.Message;

/**
 * A lesson the miner found this run, and the control it proposes (a PolicyRule or PolicyLimit;
 * null for none). {@code lesson} has no id yet: the upsert keeps the one already stored.
 */
record Finding(LessonRow lesson, Message proposed, String proposalTitle, String rationale) {
}
