package dev.govcon.sdk;

import java.util.Objects;

/**
 * Thrown by {@link Guard#call} when the guard denies the call: the LLM was not called and
 * nothing was reserved. {@link #decision()} says which controls denied it and, for rate and
 * concurrency limits, when a retry could succeed.
 */
public final class GuardDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient GuardDecision decision;

    GuardDeniedException(GuardDecision decision) {
        super("govcon guard denied the call: " + decision.reason());
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    public GuardDecision decision() {
        return decision;
    }
}
