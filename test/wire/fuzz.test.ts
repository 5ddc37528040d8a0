/**
 * Hostile input: random bytes, and valid frames with bytes flipped, cut or
 * inserted, must decode or throw WireDecodeError, never anything else (a
 * WireDecodeError from the last-resort net, "undecodable frame", would mean a
 * decoder bug and fails the test too).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_SCHEMAS } from '../../lib/wire/generated-schemas.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, FrameSplitter, WireDecodeError, type ApiKey } from '../../lib/wire/index.js';
import { isFlexible } from '../../lib/wire/schema-registry.js';
import { structPlan } from '../../lib/wire/struct-plan.js';
import { structArb } from './schema-arbitraries.js';

function onlyWireDecodeErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    expect(err).toBeInstanceOf(WireDecodeError);
    expect((err as Error).message).not.toMatch(/^undecodable frame/);
  }
}

const messages = MESSAGE_SCHEMAS.filter((s) => s.kind !== 'header');

/** A valid frame payload of a random message at a random version, with what decodes it. */
const validFrame = fc
  .constantFrom(...messages)
  .chain((schema) =>
    fc.integer({ min: schema.validVersions.min, max: schema.validVersions.max }).chain((version) =>
      structArb(structPlan(schema.fields, version, isFlexible(schema, version))).map((body) => {
        const apiKey = schema.apiKey as ApiKey;
        if (schema.kind === 'request') {
          return { payload: encodeRequest(apiKey, version, { correlationId: 1, clientId: 'f' }, body as never).subarray(4), decode: (b: Buffer) => decodeRequest(b) };
        }
        return { payload: encodeResponse(apiKey, version, 1, body as never).subarray(4), decode: (b: Buffer) => decodeResponse(apiKey, version, b) };
      }),
    ),
  );

type Mutation = { kind: 'flip' | 'cut' | 'insert'; at: number; byte: number };
const mutation = fc.record({ kind: fc.constantFrom<'flip' | 'cut' | 'insert'>('flip', 'cut', 'insert'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) });

function mutate(payload: Buffer, mutations: Mutation[]): Buffer {
  let bytes = Buffer.from(payload);
  for (const m of mutations) {
    if (bytes.length === 0) break;
    const at = m.at % bytes.length;
    if (m.kind === 'flip') bytes[at] = m.byte;
    else if (m.kind === 'cut') bytes = bytes.subarray(0, at);
    else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at)]);
  }
  return bytes;
}

describe('decoding hostile bytes', () => {
  it('random bytes as a request', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyWireDecodeErrors(() => decodeRequest(Buffer.from(bytes)))), {
      numRuns: 3000,
    });
  });

  it('random bytes after a valid request header of every vendored API and version', () => {
    const requests = messages.filter((s) => s.kind === 'request');
    const header = fc.constantFrom(...requests).chain((s) => fc.tuple(fc.constant(s.apiKey ?? 0), fc.integer({ min: s.validVersions.min, max: s.validVersions.max })));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 120 }), ([apiKey, version], bytes) => {
        const head = Buffer.alloc(10);
        head.writeInt16BE(apiKey, 0);
        head.writeInt16BE(version, 2);
        head.writeInt32BE(5, 4);
        head.writeInt16BE(-1, 8);
        onlyWireDecodeErrors(() => decodeRequest(Buffer.concat([head, Buffer.from(bytes)])));
      }),
      { numRuns: 3000 },
    );
  });

  it('random bytes as every response and version', () => {
    const responses = messages.filter((s) => s.kind === 'response');
    const target = fc.constantFrom(...responses).chain((s) => fc.tuple(fc.constant(s.apiKey as ApiKey), fc.integer({ min: s.validVersions.min, max: s.validVersions.max })));
    fc.assert(
      fc.property(target, fc.uint8Array({ maxLength: 120 }), ([apiKey, version], bytes) =>
        onlyWireDecodeErrors(() => decodeResponse(apiKey, version, Buffer.from(bytes))),
      ),
      { numRuns: 3000 },
    );
  });

  it('valid frames with bytes flipped, cut off or inserted', () => {
    fc.assert(
      fc.property(validFrame, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ payload, decode }, mutations) =>
        onlyWireDecodeErrors(() => decode(mutate(payload, mutations))),
      ),
      { numRuns: 3000 },
    );
  });

  it('a frame splitter fed random bytes throws only WireDecodeError and holds at most one frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const splitter = new FrameSplitter({ maxFrameBytes: 1024 });
        onlyWireDecodeErrors(() => {
          for (const chunk of chunks) {
            splitter.push(Buffer.from(chunk));
            expect(splitter.pendingBytes).toBeLessThanOrEqual(1024 + 4 + 64);
          }
        });
      }),
      { numRuns: 1000 },
    );
  });
});
