/** Lambda's event filtering for the local stack's stream mappings: the patterns of lib/event-pattern.ts. */
export { matchesAnyFilter, matchesPattern } from '../event-pattern.js';
