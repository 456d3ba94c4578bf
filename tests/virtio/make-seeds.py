#!/usr/bin/env python3
"""Writes a seed corpus for build/fuzz/virtio_fuzz into DIR: well-formed
requests for each device, in the input format fuzz_virtqueue.c documents,
so the fuzzer starts from chains the devices accept and mutates from there.

usage: make-seeds.py DIR
"""
import os
import struct
import sys

BLK, RNG, NET, CONSOLE = range(4)
RAM = 0x8000
BUF = 0x4000
F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4


class Image:
    def __init__(self, qsize=16):
        self.ram = bytearray(RAM)
        self.qsize = qsize
        self.heap = BUF
        self.avail_idx = {}

    def alloc(self, data):
        addr = self.heap
        self.ram[addr:addr + len(data)] = data
        self.heap += (len(data) + 15) & ~15
        return addr

    def desc(self, table, i, addr, length, flags, nxt):
        struct.pack_into("<QIHH", self.ram, table + 16 * i, addr, length, flags, nxt)

    def chain(self, q, bufs, head=0, indirect=False):
        """bufs: (addr, len, writable); publishes the chain at head."""
        table, base = q * 0x2000, q * 0x2000
        if indirect:
            table = self.alloc(bytes(16 * len(bufs)))
        for i, (addr, length, wr) in enumerate(bufs):
            last = i + 1 == len(bufs)
            self.desc(table, head + i if not indirect else i, addr, length,
                      (F_WRITE if wr else 0) | (0 if last else F_NEXT),
                      (head + i + 1 if not indirect else i + 1) if not last else 0)
        if indirect:
            self.desc(base, head, table, 16 * len(bufs), F_INDIRECT, 0)
        idx = self.avail_idx.get(q, 0)
        struct.pack_into("<H", self.ram, base + 0x1000 + 4 + 2 * (idx % self.qsize), head)
        self.avail_idx[q] = idx + 1
        struct.pack_into("<H", self.ram, base + 0x1000 + 2, idx + 1)

    def seed(self, device, features=3, rounds=0):
        log2 = self.qsize.bit_length() - 1
        return bytes([device, features, log2, rounds]) + bytes(self.ram[:self.heap])


def blk_request(img, q, rtype, sector, data_len, head, indirect=False, data=None):
    hdr = img.alloc(struct.pack("<IIQ", rtype, 0, sector))
    payload = img.alloc(data if data is not None else bytes(data_len))
    status = img.alloc(b"\xff")
    writable = rtype in (0, 8)
    img.chain(q, [(hdr, 16, False), (payload, data_len, writable), (status, 1, True)],
              head=head, indirect=indirect)


def seeds():
    img = Image()
    blk_request(img, 0, 0, 3, 1024, 0)                  # read
    blk_request(img, 0, 1, 9, 512, 3, data=b"\xab" * 512)  # write
    yield "blk-read-write", img.seed(BLK)
    img = Image()
    blk_request(img, 0, 4, 0, 0, 0)                     # flush (empty data)
    blk_request(img, 0, 8, 0, 20, 3)                    # get-id
    yield "blk-flush-getid", img.seed(BLK)
    img = Image()
    blk_request(img, 0, 13, 0, 16, 0, data=struct.pack("<QII", 4, 8, 0))
    blk_request(img, 0, 11, 0, 16, 3, data=struct.pack("<QII", 16, 8, 0))
    yield "blk-zeroes-discard", img.seed(BLK)
    img = Image()
    blk_request(img, 0, 0, 1, 2048, 0, indirect=True)
    yield "blk-indirect", img.seed(BLK)
    img = Image()
    img.chain(0, [(img.alloc(bytes(64)), 64, True)])
    yield "rng", img.seed(RNG)
    img = Image()
    img.chain(1, [(img.alloc(bytes(12)), 12, False), (img.alloc(b"\x55" * 60), 60, False)])
    img.chain(0, [(img.alloc(bytes(1526)), 1526, True)])
    yield "net-tx-rx", img.seed(NET)
    img = Image()
    img.chain(1, [(img.alloc(b"hello\n"), 6, False)])
    yield "console-tx", img.seed(CONSOLE)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(data)
