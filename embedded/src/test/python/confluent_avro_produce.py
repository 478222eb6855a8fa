#!/usr/bin/python3
"""Writes records with Confluent's own AvroProducer (CachedSchemaRegistryClient registers the schemas).

Reads JSON lines {"key": "<string>", "value": {...}} from stdin; the key is written with the Avro schema
"string", the value with the schema in --value-schema-file. Epoch-millisecond numbers in timestamp-millis
fields become datetimes first, as the Avro library expects. Prints {"produced": n}.
"""
import argparse
import datetime
import json
import sys

from confluent_kafka import avro
from confluent_kafka.avro import AvroProducer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def to_datum(schema, value):
    """Walks the schema so that timestamp-millis numbers reach the Avro writer as datetimes."""
    if value is None:
        return None
    kind = schema.type
    if kind == "record":
        return {f.name: to_datum(f.type, value.get(f.name)) for f in schema.fields if f.name in value}
    if kind == "array":
        return [to_datum(schema.items, v) for v in value]
    if kind == "union":
        branches = [s for s in schema.schemas if s.type != "null"]
        return to_datum(branches[0], value) if len(branches) == 1 else value
    if schema.props.get("logicalType") == "timestamp-millis" and isinstance(value, int):
        return EPOCH + datetime.timedelta(milliseconds=value)
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--value-schema-file", required=True)
    args = parser.parse_args()

    with open(args.value_schema_file, encoding="utf-8") as f:
        value_schema = avro.loads(f.read())
    producer = AvroProducer({"bootstrap.servers": args.bootstrap, "schema.registry.url": args.registry},
                            default_key_schema=avro.loads('"string"'), default_value_schema=value_schema)
    failures = []

    def delivered(err, _msg):
        if err is not None:
            failures.append(str(err))

    produced = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        record = json.loads(line)
        producer.produce(topic=args.topic, key=record["key"], value=to_datum(value_schema, record["value"]),
                         on_delivery=delivered)
        produced += 1
    remaining = producer.flush(60)
    if remaining or failures:
        print("%d records undelivered, errors: %s" % (remaining, failures), file=sys.stderr)
        sys.exit(4)
    print(json.dumps({"produced": produced}), flush=True)


if __name__ == "__main__":
    main()
