package io.crmhistory.platform.metrics;

import java.util.Arrays;

/**
 * A sum over a sliding window of time, kept in a ring of buckets: the window's slices of equal width, each holding
 * what was added during it. Adding costs a few instructions under a lock no reader holds for long; reading sums the
 * buckets still within the window. The newest bucket is filled only in part, so the sum is divided by the time the
 * buckets cover, not by the whole window.
 */
final class WindowedSum {

    private final long bucketNanos;
    private final long[] sums;
    private final long[] bucketIndexes;

    WindowedSum(long windowNanos, int buckets) {
        if (buckets < 2 || windowNanos < buckets) {
            throw new IllegalArgumentException("a window of " + windowNanos + " ns cannot hold " + buckets + " buckets");
        }
        this.bucketNanos = windowNanos / buckets;
        this.sums = new long[buckets];
        this.bucketIndexes = new long[buckets];
        Arrays.fill(bucketIndexes, Long.MIN_VALUE);
    }

    /** Adds {@code amount} at the time {@code nowNanos} (a monotonic clock's nanoseconds). */
    synchronized void add(long nowNanos, long amount) {
        long index = Math.floorDiv(nowNanos, bucketNanos);
        int slot = (int) Math.floorMod(index, (long) sums.length);
        if (bucketIndexes[slot] != index) {
            bucketIndexes[slot] = index;
            sums[slot] = 0;
        }
        sums[slot] += amount;
    }

    /** The window's sum divided by the nanoseconds it covers up to {@code nowNanos}. */
    synchronized double ratePerNano(long nowNanos) {
        long newest = Math.floorDiv(nowNanos, bucketNanos);
        long oldest = newest - sums.length + 1;
        long sum = 0;
        for (int slot = 0; slot < sums.length; slot++) {
            if (bucketIndexes[slot] >= oldest && bucketIndexes[slot] <= newest) {
                sum += sums[slot];
            }
        }
        long covered = (sums.length - 1) * bucketNanos + (nowNanos - newest * bucketNanos);
        return (double) sum / Math.max(1, covered);
    }
}
