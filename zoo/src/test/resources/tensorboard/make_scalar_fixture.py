#!/usr/bin/python3
"""Writes scalar.tfevents, the hand-checked TensorBoard fixture for TensorBoardWriterTest.

Built from the format description alone (no TensorFlow/TensorBoard: Debian bookworm packages
neither), with its own bitwise CRC-32C. Two TFRecords: Event{wall_time=1.5, file_version=
"brain.Event:2"} and Event{wall_time=1.5, step=3, summary{value{tag="loss", simple_value=0.25}}}.
See README.md for how the bytes were checked.
"""
import os
import struct


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the standard CRC-32C check value


def masked(c):
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    n = struct.pack("<Q", len(data))
    return n + struct.pack("<I", masked(crc32c(n))) + data + struct.pack("<I", masked(crc32c(data)))


wall = b"\x09" + struct.pack("<d", 1.5)                        # field 1, fixed64
version = wall + b"\x1a" + bytes([13]) + b"brain.Event:2"     # field 3, string
value = b"\x0a\x04loss" + b"\x15" + struct.pack("<f", 0.25)  # Value.tag=1, Value.simple_value=2
summary = b"\x0a" + bytes([len(value)]) + value               # Summary.value=1
scalar = wall + b"\x10\x03" + b"\x2a" + bytes([len(summary)]) + summary  # step=2, summary=5

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scalar.tfevents")
with open(out, "wb") as f:
    f.write(record(version) + record(scalar))
print("wrote", out)
