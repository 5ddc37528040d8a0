"""librdkafka's transactional producer (through confluent-kafka-python), driven
by test/gateway/librdkafka-transactions.test.ts: commit, abort, commit across
two partitions, then a zombie. Prints one JSON line of what happened."""
import json
import sys

from confluent_kafka import KafkaException, Producer

broker, topic, transactional_id = sys.argv[1], sys.argv[2], sys.argv[3]
delivered = []
errors = []


def report(err, msg):
    if err is not None:
        errors.append(str(err))
    else:
        delivered.append(msg.offset())


def producer():
    return Producer({'bootstrap.servers': broker, 'transactional.id': transactional_id, 'linger.ms': 0})


p = producer()
p.init_transactions(30)
p.begin_transaction()
p.produce(topic, b'rd-c0', partition=0, on_delivery=report)
p.produce(topic, b'rd-c1', partition=1, on_delivery=report)
p.commit_transaction(30)
p.begin_transaction()
p.produce(topic, b'rd-a0', partition=0, on_delivery=report)
p.flush(30)
p.abort_transaction(30)
p.begin_transaction()
p.produce(topic, b'rd-c0b', partition=0, on_delivery=report)
p.commit_transaction(30)

newer = producer()
newer.init_transactions(30)
zombie = None
p.begin_transaction()
p.produce(topic, b'rd-zombie', partition=1, on_delivery=report)
try:
    p.commit_transaction(30)
except KafkaException as e:
    zombie = {'name': e.args[0].name(), 'fatal': e.args[0].fatal()}

print(json.dumps({'delivered': delivered, 'errors': errors, 'zombie': zombie}))
