/**
 * Kafka's ListOffsets special timestamps. In a module of their own, free of
 * the request schemas (and so of zod), for code that only needs the numbers.
 */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
