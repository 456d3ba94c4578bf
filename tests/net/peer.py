#!/usr/bin/env python3
"""The host-side peer of tests/net/run, run inside the test's own network
namespace: TCP send and receive with MD5 checksums, and a UDP echo. Every
mode stops by itself (a deadline), so a broken guest cannot hang the test.

  peer.py tcp-send ADDR PORT FILE      connect, send FILE, close
  peer.py tcp-recv ADDR PORT SIZE OUT  accept one connection, read SIZE
                                       bytes, write "md5 size" to OUT
  peer.py udp-echo ADDR PORT COUNT     echo COUNT datagrams back
  peer.py tftp ADDR PORT DIR COUNT     serve COUNT TFTP transfers (RFC 1350,
                                       octet mode, 512-byte blocks) in DIR:
                                       the guest's busybox has no UDP nc, but
                                       it has a TFTP client
"""
import hashlib
import os
import socket
import struct
import sys
import time

DEADLINE = 120


def tcp_send(addr, port, path):
    data = open(path, "rb").read()
    end = time.time() + DEADLINE
    while True:     # the guest's listener may not be up yet
        try:
            s = socket.create_connection((addr, int(port)), timeout=5)
            break
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.5)
    s.settimeout(DEADLINE)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)       # wait for the guest to close: all of it arrived
    s.close()


def tcp_recv(addr, port, size, out):
    size = int(size)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(1)
    ls.settimeout(DEADLINE)
    s, _ = ls.accept()
    s.settimeout(DEADLINE)
    h, got = hashlib.md5(), 0
    while got < size:
        chunk = s.recv(min(65536, size - got))
        if not chunk:
            break
        h.update(chunk)
        got += len(chunk)
    s.close()
    with open(out, "w") as f:
        f.write("%s %d\n" % (h.hexdigest(), got))


def udp_echo(addr, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(DEADLINE)
    for _ in range(int(count)):
        data, peer = s.recvfrom(65536)
        s.sendto(data, peer)


TFTP_RRQ, TFTP_WRQ, TFTP_DATA, TFTP_ACK, TFTP_ERROR = 1, 2, 3, 4, 5


def tftp_exchange(s, packet, want_op, want_block):
    """Send packet until the wanted reply arrives; returns its payload."""
    for _ in range(10):
        s.send(packet)
        end = time.time() + 1
        while time.time() < end:
            try:
                reply = s.recv(600)
            except socket.timeout:
                break
            op, block = struct.unpack("!HH", reply[:4])
            if op == want_op and block == want_block:
                return reply[4:]
            if op == TFTP_ERROR:
                raise OSError("client error: %r" % reply[4:])
    raise OSError("no reply for block %d" % want_block)


def tftp_send_file(s, path):
    data = open(path, "rb").read()
    for block in range(1, len(data) // 512 + 2):
        chunk = data[(block - 1) * 512:block * 512]
        tftp_exchange(s, struct.pack("!HH", TFTP_DATA, block & 0xffff) + chunk,
                      TFTP_ACK, block & 0xffff)


def tftp_recv_file(s, path):
    out, block = bytearray(), 0
    ack = struct.pack("!HH", TFTP_ACK, 0)
    while True:
        chunk = tftp_exchange(s, ack, TFTP_DATA, (block + 1) & 0xffff)
        block += 1
        out += chunk
        ack = struct.pack("!HH", TFTP_ACK, block & 0xffff)
        if len(chunk) < 512:
            s.send(ack)
            break
    with open(path, "wb") as f:
        f.write(out)


def tftp(addr, port, directory, count):
    ls = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ls.bind((addr, int(port)))
    ls.settimeout(DEADLINE)
    for _ in range(int(count)):
        req, peer = ls.recvfrom(600)
        op = struct.unpack("!H", req[:2])[0]
        name = os.path.basename(req[2:].split(b"\0")[0].decode())
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, 0))      # a new port per transfer, as RFC 1350 asks
        s.connect(peer)
        s.settimeout(1)
        if op == TFTP_RRQ:
            tftp_send_file(s, os.path.join(directory, name))
        elif op == TFTP_WRQ:
            tftp_recv_file(s, os.path.join(directory, name))
        s.close()


if __name__ == "__main__":
    modes = {"tcp-send": tcp_send, "tcp-recv": tcp_recv, "udp-echo": udp_echo,
             "tftp": tftp}
    if len(sys.argv) < 2 or sys.argv[1] not in modes:
        sys.exit(__doc__)
    try:
        modes[sys.argv[1]](*sys.argv[2:])
    except (OSError, socket.timeout) as e:
        sys.exit("peer.py %s: %s" % (sys.argv[1], e))
