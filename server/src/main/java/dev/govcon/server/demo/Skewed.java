package dev.govcon.server.demo;

import java.util.SplittableRandom;

/**
 * Picks index i of n with probability proportional to 1/(i+1) (Zipf-like): the first few
 * models and features carry most traffic, as in real tenants. Used by the demo data and the
 * benchmark's load generator.
 */
public final class Skewed {
    private Skewed() {
    }

    public static int pick(SplittableRandom random, int n) {
        double total = 0;
        for (int i = 1; i <= n; i++) {
            total += 1.0 / i;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            x -= 1.0 / (i + 1);
            if (x <= 0) {
                return i;
            }
        }
        return n - 1;
    }
}
