package dev.govcon.sdk;

/**
 * A snapshot of a {@link RunRecorder}'s counters (each read separately, so a snapshot taken
 * while runs flow may be off by a batch between fields).
 *
 * @param recorded  runs the server acknowledged as written
 * @param duplicate runs the server already had with the same figures (written before this
 *                  recorder sent them; duplicates caused by the recorder's own retries count as recorded)
 * @param dropped   runs never queued: queue full, recorder closed, or still queued at close timeout
 * @param failed    runs the server refused or that could not be delivered (see {@code onFailed})
 * @param pending   runs queued or in flight
 */
public record RecorderStats(long recorded, long duplicate, long dropped, long failed, long pending) {
}
