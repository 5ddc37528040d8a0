/**
 * Frames built by hand from Kafka's protocol guide and the definitions: each
 * decodes to the expected values and encodes back to the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { API_KEYS, type ApiKey, type DecodedRequest, type RequestBodies, decodeRequest, decodeResponse, encodeRequest, encodeResponse, WireDecodeError, ZERO_UUID } from '../../lib/wire/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function bodyOf<K extends ApiKey>(decoded: DecodedRequest, apiKey: K): RequestBodies[K] {
  expect(decoded.header.apiKey).toBe(apiKey);
  return decoded.body as RequestBodies[K];
}

describe('hand-built request frames', () => {
  it('Metadata v1: header v1 (classic client id), a classic array of classic strings', () => {
    const payload = hex(`
      0003 0001 0000002a 0003 636c69
      00000001 0003 616263`);
    const decoded = decodeRequest(payload);
    expect(decoded.header).toEqual({ apiKey: 3, apiVersion: 1, correlationId: 42, clientId: 'cli' });
    expect(decoded.body).toEqual({
      topics: [{ name: 'abc', topicId: ZERO_UUID }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const frame = encodeRequest(3, 1, decoded.header, decoded.body);
    expect(frame.readInt32BE(0)).toBe(payload.length);
    expect(frame.subarray(4)).toEqual(payload);
  });

  it('Metadata v1 with a null topic array means every topic', () => {
    const decoded = decodeRequest(hex('0003 0001 00000001 ffff ffffffff'));
    expect(decoded.header.clientId).toBeNull();
    expect(bodyOf(decoded, API_KEYS.Metadata).topics).toBeNull();
  });

  it('ApiVersions v3: header v2 keeps the classic client id, then compact strings and empty tagged fields', () => {
    const payload = hex(`
      0012 0003 00000007 0002 6b6a 00
      03 6b6c 04 312e30 00`);
    const decoded = decodeRequest(payload);
    expect(decoded.header).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 7, clientId: 'kj' });
    expect(decoded.body).toEqual({ clientSoftwareName: 'kl', clientSoftwareVersion: '1.0' });
    expect(encodeRequest(18, 3, decoded.header, decoded.body).subarray(4)).toEqual(payload);
  });

  it('Fetch v12 carries ClusterId as tagged field 0 of the request', () => {
    const body = { clusterId: 'c1', replicaId: -1, maxWaitMs: 100, minBytes: 1, maxBytes: 1024, topics: [] };
    const frame = encodeRequest(API_KEYS.Fetch, 12, { correlationId: 1, clientId: null }, body);
    // ... sessionEpoch, [topics]=01 (empty), [forgotten]=01, rackId=01 (""), tagged: 1 field, tag 0, size 3, "c1" compact.
    expect(frame.subarray(-9)).toEqual(hex('01 01 01 01 00 03 03 6331'));
    expect(decodeRequest(frame.subarray(4)).body).toMatchObject(body);
  });
});

describe('hand-built response frames', () => {
  it('ApiVersions v3 uses response header v0 although the body is flexible', () => {
    const payload = hex(`
      00000009
      0000 02 0000 0000 000b 00 00000000 00`);
    const decoded = decodeResponse(18, 3, payload);
    expect(decoded.correlationId).toBe(9);
    expect(decoded.body).toMatchObject({ errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 11 }], throttleTimeMs: 0 });
    expect(encodeResponse(18, 3, 9, decoded.body).subarray(4)).toEqual(payload);
  });

  it('Heartbeat v4 uses response header v1 (tagged fields after the correlation id)', () => {
    const payload = hex('00000003 00 00000000 0000 00');
    expect(decodeResponse(API_KEYS.Heartbeat, 4, payload)).toEqual({ correlationId: 3, body: { throttleTimeMs: 0, errorCode: 0 } });
    expect(encodeResponse(API_KEYS.Heartbeat, 4, 3, { throttleTimeMs: 0, errorCode: 0 }).subarray(4)).toEqual(payload);
  });

  it('an unknown tagged field is kept and written back', () => {
    const payload = hex('00000003 00 00000000 0000 01 05 02 abcd');
    const decoded = decodeResponse(API_KEYS.Heartbeat, 4, payload);
    expect(decoded.body._unknownTaggedFields).toEqual([{ tag: 5, data: hex('abcd') }]);
    expect(encodeResponse(API_KEYS.Heartbeat, 4, 3, decoded.body).subarray(4)).toEqual(payload);
  });

  it('ConsumerGroupHeartbeat v0: a null struct is int8 -1, a present one int8 1', () => {
    const body = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'm',
      memberEpoch: 1,
      heartbeatIntervalMs: 5000,
      assignment: null,
    };
    const frame = encodeResponse(API_KEYS.ConsumerGroupHeartbeat, 0, 1, body);
    expect(frame.subarray(-2)).toEqual(hex('ff 00'));
    const withAssignment = encodeResponse(API_KEYS.ConsumerGroupHeartbeat, 0, 1, { ...body, assignment: { topicPartitions: [] } });
    expect(withAssignment.subarray(-4)).toEqual(hex('01 01 00 00'));
    expect(decodeResponse(API_KEYS.ConsumerGroupHeartbeat, 0, withAssignment.subarray(4)).body.assignment).toEqual({ topicPartitions: [] });
  });
});

describe('malformed frames', () => {
  const cases: [string, string][] = [
    ['a truncated header', '0003 00'],
    ['a string longer than the frame', '0003 0001 00000001 0003 61'],
    ['an array count beyond the bytes left', '0003 0001 00000001 ffff 7fffffff'],
    ['a null where the version is not nullable', '0003 0000 00000001 ffff ffffffff'],
    ['bytes after the message', '0003 0001 00000001 ffff ffffffff 00'],
    ['a varint longer than five bytes', '0012 0003 00000007 ffff ff ff ff ff ff 01'],
  ];
  for (const [what, bytes] of cases) {
    it(`${what} is a WireDecodeError`, () => {
      expect(() => decodeRequest(hex(bytes))).toThrow(WireDecodeError);
    });
  }

  it('an unknown API key or version says so, with the correlation id to answer it', () => {
    const unknown = (() => {
      try {
        decodeRequest(hex('7fff 0000 0000000b ffff'));
      } catch (err) {
        return err;
      }
    })();
    expect(unknown).toBeInstanceOf(WireDecodeError);
    expect(unknown).toMatchObject({ reason: 'unknown-api', context: { apiKey: 0x7fff, correlationId: 11 } });
    expect(() => decodeRequest(hex('0012 0063 0000000c ffff 00'))).toThrow(
      expect.objectContaining({ reason: 'unsupported-version', context: expect.objectContaining({ apiVersion: 99, correlationId: 12 }) }),
    );
  });
});
