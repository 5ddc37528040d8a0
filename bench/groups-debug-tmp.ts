import { startGroupsEnv } from './groups-env.ts';
import { BenchMember } from './groups-member.ts';
const env = await startGroupsEnv({ partitions: 60, produceIntervalMs: 200 });
const members: BenchMember[] = [];
const calls = new Map<string, number>();
let recs = 0;
const t0 = Date.now();
for (let i = 0; i < 10; i++) members.push(new BenchMember({ index: i, groupId: 'g', topic: env.topic, sessionTimeoutMs: 3000, routes: env.memberTransports(), calls, onRecord: () => void recs++ }));
for (let k = 0; k < 20; k++) {
  await new Promise((r) => setTimeout(r, 2000));
  const d = await env.describeGroup('g');
  console.log(((Date.now()-t0)/1000).toFixed(1), 'recs', recs, 'produced', env.produced(), 'held', members.map((m) => m.held().length).join(','), 'state', d?.state, d?.members.length, d?.members.map(m=>`${m.memberEpoch}:${m.assignment.length}/${m.revoking.length}/${m.targetAssignment.length}`).join(' '), JSON.stringify(Object.fromEntries(calls)));
}
await Promise.all(members.map((m) => m.close()));
await env.stop();
