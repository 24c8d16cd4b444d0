package dev.govcon.sdk;

/**
 * The application's LLM call, as {@link Guard#call} runs it: make the call, and say what it did.
 *
 * <pre>{@code
 * LlmCall<ChatResponse, IOException> ask = decision -> {
 *     ChatResponse r = openAi.chat(prompt);              // may throw IOException
 *     return LlmOutcome.of(r).tokens(r.promptTokens(), r.completionTokens());
 * };
 * }</pre>
 *
 * @param <T> what the call produced, handed back to the caller
 * @param <E> the checked exception the call may throw ({@link RuntimeException} when none):
 *            {@link Guard#call} rethrows it as it is
 */
@FunctionalInterface
public interface LlmCall<T, E extends Exception> {
    /**
     * Makes the call. Runs on the thread that called {@link Guard#call}, only when the guard
     * allowed it.
     *
     * @param decision the guard's ALLOW or WARN, with its warnings and the reservation
     * @return what the call produced and used; null is treated as a failure
     */
    LlmOutcome<T> call(GuardDecision decision) throws E;
}
