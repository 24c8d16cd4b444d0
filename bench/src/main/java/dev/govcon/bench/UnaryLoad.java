package dev.govcon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator of the unary-call scenarios: {@code callers} threads, each with one call
 * in flight, for the whole window. Unbounded (rate 0), each caller sends its next call as soon
 * as the previous one is answered: the throughput is then what the server gives. At a target
 * rate, each caller sends on a fixed schedule (rate / callers per second) and a call's latency
 * is counted from when it was due, not from when it could be sent, so a stall shows in the
 * percentiles instead of hiding as fewer calls (no coordinated omission).
 */
final class UnaryLoad {
    /** One call; throws when the call failed (an error status, a wrong answer). */
    interface Call {
        void call(int caller, long sequence) throws Exception;
    }

    private UnaryLoad() {
    }

    static void drive(Window window, int callers, double ratePerSecond, Call call) throws InterruptedException {
        long interval = ratePerSecond > 0 ? (long) (1e9 * callers / ratePerSecond) : 0;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread t = new Thread(() -> {
                long due = System.nanoTime() + (interval > 0 ? interval * caller / callers : 0);
                long sequence = 0;
                while (window.open()) {
                    long sent;
                    if (interval > 0) {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        sent = due;
                        due += interval;
                    } else {
                        sent = System.nanoTime();
                    }
                    try {
                        call.call(caller, sequence++);
                        window.acked(1, sent);
                    } catch (Exception e) {
                        window.failed(e);
                    }
                }
            }, "bench-caller-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
