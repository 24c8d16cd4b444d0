package dev.govcon.server.analytics;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import dev.govcon.server.errors.Errors;
import dev.govcon.server.paging.Cursors;
import dev.govcon.server.paging.Page;

/**
 * One page of an aggregate list ranked by a figure, highest first, ties by a key ascending.
 * The token is a keyset cursor on (figure, key) of the last row served, so a page starts
 * right after it even when rows were added or their figures moved meanwhile.
 */
record RankedPage<T>(List<T> rows, String nextPageToken) {

    static <T> Comparator<T> order(ToLongFunction<T> figure, Function<T, String> key) {
        return Comparator.comparingLong(figure).reversed().thenComparing(key);
    }

    static <T> RankedPage<T> of(List<T> all, int pageSize, String pageToken, ToLongFunction<T> figure,
                                Function<T, String> key) {
        int size = Page.size(pageSize);
        String[] after = Cursors.decode(pageToken, 2);
        List<T> sorted = all.stream().sorted(order(figure, key)).toList();
        int from = 0;
        if (after != null) {
            long lastFigure;
            try {
                lastFigure = Long.parseLong(after[0]);
            } catch (NumberFormatException e) {
                throw Errors.invalid("page_token", "is not a token this list returned");
            }
            String lastKey = after[1];
            while (from < sorted.size()) {
                T r = sorted.get(from);
                long v = figure.applyAsLong(r);
                if (v < lastFigure || (v == lastFigure && key.apply(r).compareTo(lastKey) > 0)) {
                    break;
                }
                from++;
            }
        }
        int to = Math.min(sorted.size(), from + size);
        List<T> page = sorted.subList(from, to);
        String next = to < sorted.size()
                ? Cursors.encode(Long.toString(figure.applyAsLong(page.get(page.size() - 1))),
                                 key.apply(page.get(page.size() - 1)))
                : "";
        return new RankedPage<>(page, next);
    }
}
