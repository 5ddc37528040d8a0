import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, type ApiKey } from '../../lib/wire/index.js';
import { MESSAGE_SCHEMAS } from '../../lib/wire/generated-schemas.js';
import { isFlexible } from '../../lib/wire/schema-registry.js';
import type { MessageSchema } from '../../lib/wire/schema-types.js';
import { structPlan } from '../../lib/wire/struct-plan.js';
import { structArb } from './schema-arbitraries.js';

const RUNS_PER_VERSION = 12;

function versions(schema: MessageSchema): number[] {
  const all: number[] = [];
  for (let v = schema.validVersions.min; v <= schema.validVersions.max; v++) all.push(v);
  return all;
}

function bodyArb(schema: MessageSchema, version: number) {
  return structArb(structPlan(schema.fields, version, isFlexible(schema, version)));
}

const requests = MESSAGE_SCHEMAS.filter((s) => s.kind === 'request');
const responses = MESSAGE_SCHEMAS.filter((s) => s.kind === 'response');

describe('every vendored request round-trips at every valid version', () => {
  for (const schema of requests) {
    it(`${schema.name} v${schema.validVersions.min}-${schema.validVersions.max}`, () => {
      const apiKey = schema.apiKey as ApiKey;
      for (const version of versions(schema)) {
        const header = fc.record({
          correlationId: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
          clientId: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
        });
        fc.assert(
          fc.property(header, bodyArb(schema, version), (h, body) => {
            const frame = encodeRequest(apiKey, version, h, body as never);
            expect(frame.readInt32BE(0)).toBe(frame.length - 4);
            const decoded = decodeRequest(frame.subarray(4));
            expect(decoded.header).toEqual({ apiKey, apiVersion: version, ...h });
            expect(decoded.body).toEqual(body);
          }),
          { numRuns: RUNS_PER_VERSION },
        );
      }
    });
  }
});

describe('every vendored response round-trips at every valid version', () => {
  for (const schema of responses) {
    it(`${schema.name} v${schema.validVersions.min}-${schema.validVersions.max}`, () => {
      const apiKey = schema.apiKey as ApiKey;
      for (const version of versions(schema)) {
        const correlationId = fc.integer({ min: -0x80000000, max: 0x7fffffff });
        fc.assert(
          fc.property(correlationId, bodyArb(schema, version), (id, body) => {
            const frame = encodeResponse(apiKey, version, id, body as never);
            const decoded = decodeResponse(apiKey, version, frame.subarray(4));
            expect(decoded).toEqual({ correlationId: id, body });
          }),
          { numRuns: RUNS_PER_VERSION },
        );
      }
    });
  }
});
