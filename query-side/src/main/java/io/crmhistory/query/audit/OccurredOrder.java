package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.query.projection.EventEnvelope;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.IntBinaryOperator;

/**
 * The turn of each of a customer's events on the occurred axis, from their business times and kinds alone: business-time
 * order with the registration first (every other event presupposes the customer), without the status changes a
 * later-recorded one effective earlier overrides. A status change is a decision: the newest one is in force, as the
 * live projections (which apply them in recording order) show. Sorted by business time, a change recorded in June as
 * of June would otherwise come after one recorded in July as of March (a purchase imported late re-activating the
 * customer) and undo it, giving a status the live view never had, by way of a transition the lifecycle does not allow.
 * <p>
 * Kept in primitive arrays, about 40 bytes per event, so a stream too long to hold can be ordered without holding it.
 */
final class OccurredOrder {

    private static final byte OTHER = 0;
    private static final byte REGISTRATION = 1;
    private static final byte STATUS_CHANGE = 2;

    /** Position in the stream of each event noted as folded. */
    private int[] positions = new int[16];
    private long[] seconds = new long[16];
    private int[] nanos = new int[16];
    private byte[] kinds = new byte[16];
    /** The sequence number of every event noted, folded or not, by position. */
    private long[] sequences = new long[16];
    private int size;
    private int seen;

    /** Notes the stream's next event; only those {@code folded} (on the axis by the instant) get a turn. */
    void add(EventEnvelope envelope, boolean folded) {
        if (seen == sequences.length) {
            sequences = Arrays.copyOf(sequences, seen * 2);
        }
        sequences[seen] = envelope.sequence();
        int position = seen++;
        if (!folded) {
            return;
        }
        if (size == positions.length) {
            int capacity = size * 2;
            positions = Arrays.copyOf(positions, capacity);
            seconds = Arrays.copyOf(seconds, capacity);
            nanos = Arrays.copyOf(nanos, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
        }
        Instant at = envelope.occurredAt();
        positions[size] = position;
        seconds[size] = at.getEpochSecond();
        nanos[size] = at.getNano();
        kinds[size] = envelope.event() instanceof CustomerRegistered ? REGISTRATION
                : envelope.event() instanceof CustomerStatusChanged ? STATUS_CHANGE : OTHER;
        size++;
    }

    /** The positions in the stream of the events to fold, in their turn. */
    int[] positionsInTurn() {
        // By index, not in a set of envelopes: hashing 10,000 event records doubled a long history's answer.
        boolean[] overridden = new boolean[size];
        int kept = size;
        int earliestLater = -1;
        for (int i = size - 1; i >= 0; i--) {
            if (kinds[i] == STATUS_CHANGE) {
                overridden[i] = earliestLater >= 0 && compareTimes(earliestLater, i) < 0;
                earliestLater = overridden[i] ? earliestLater : i;
                kept -= overridden[i] ? 1 : 0;
            }
        }
        int[] order = new int[kept];
        for (int i = 0, k = 0; i < size; i++) {
            if (!overridden[i]) {
                order[k++] = i;
            }
        }
        sort(order, (a, b) -> {
            int registrationFirst = Boolean.compare(kinds[a] != REGISTRATION, kinds[b] != REGISTRATION);
            if (registrationFirst != 0) {
                return registrationFirst;
            }
            int byTime = compareTimes(a, b);
            return byTime != 0 ? byTime : Integer.compare(a, b);
        });
        for (int k = 0; k < order.length; k++) {
            order[k] = positions[order[k]];
        }
        return order;
    }

    /** Each event noted, by position in the stream: its sequence number and its turn (-1 for those not folded). */
    Turns turns() {
        int[] turn = new int[seen];
        Arrays.fill(turn, -1);
        int[] inTurn = positionsInTurn();
        for (int t = 0; t < inTurn.length; t++) {
            turn[inTurn[t]] = t;
        }
        return new Turns(turn, Arrays.copyOf(sequences, seen), inTurn.length);
    }

    /**
     * @param turn     by position in the stream, the event's turn, or -1
     * @param sequence by position in the stream, the event's sequence number (what a later read must find there)
     * @param folded   how many events have a turn
     */
    record Turns(int[] turn, long[] sequence, int folded) {
    }

    private int compareTimes(int a, int b) {
        int bySecond = Long.compare(seconds[a], seconds[b]);
        return bySecond != 0 ? bySecond : Integer.compare(nanos[a], nanos[b]);
    }

    /** A merge sort of indices, without boxing each as {@code Arrays.sort} with a comparator would. */
    private static void sort(int[] indices, IntBinaryOperator comparator) {
        int[] from = indices;
        int[] to = new int[indices.length];
        for (int width = 1; width < indices.length; width *= 2) {
            for (int low = 0; low < indices.length; low += 2 * width) {
                int middle = Math.min(low + width, indices.length);
                int high = Math.min(low + 2 * width, indices.length);
                int left = low;
                int right = middle;
                int out = low;
                while (left < middle && right < high) {
                    to[out++] = comparator.applyAsInt(from[left], from[right]) <= 0 ? from[left++] : from[right++];
                }
                while (left < middle) {
                    to[out++] = from[left++];
                }
                while (right < high) {
                    to[out++] = from[right++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != indices) {
            System.arraycopy(from, 0, indices, 0, indices.length);
        }
    }
}
