package io.stoker.dsl.cron;

/** The five fields of a cron spec with their ranges; {@code hashMax} bounds a bare {@code H} (days 1-28 exist in every month). */
enum CronField {
    MINUTE("minute", 0, 59, 59),
    HOUR("hour", 0, 23, 23),
    DAY_OF_MONTH("day-of-month", 1, 31, 28),
    MONTH("month", 1, 12, 12),
    DAY_OF_WEEK("day-of-week", 0, 7, 6);

    final String label;
    final int min;
    final int max;
    final int hashMax;

    CronField(String label, int min, int max, int hashMax) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.hashMax = hashMax;
    }
}
