#!/usr/bin/python3
"""Reads Confluent-wire-format Avro records with Confluent's own AvroConsumer (CachedSchemaRegistryClient).

Prints one JSON object per record: {"topic", "partition", "offset", "key", "value"}; timestamp-millis values
become epoch milliseconds so that the caller can compare them exactly. Exits 3 when fewer than --count records
arrive within --timeout seconds.
"""
import argparse
import datetime
import json
import sys
import time

from confluent_kafka.avro import AvroConsumer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def plain(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return (value - EPOCH) // datetime.timedelta(milliseconds=1)
    return str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    consumer = AvroConsumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "schema.registry.url": args.registry,
    })
    consumer.subscribe([args.topic])
    seen = 0
    deadline = time.monotonic() + args.timeout
    try:
        while seen < args.count and time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print("consumer error: %s" % msg.error(), file=sys.stderr)
                continue
            print(json.dumps({"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
                              "key": msg.key(), "value": msg.value()}, default=plain, ensure_ascii=False), flush=True)
            seen += 1
    finally:
        consumer.close()
    if seen < args.count:
        print("read %d of %d records from %s within %.0f s" % (seen, args.count, args.topic, args.timeout),
              file=sys.stderr)
        sys.exit(3)


if __name__ == "__main__":
    main()
