# SPDX-License-Identifier: BSD-3-Clause
# A `ctestd case` client from before CaseRequest.exeid: sends such a request
# to the daemon of BUILD_DIR (argv[1]) for the case argv[3] of executable
# argv[2], and prints the type byte of the daemon's first frame, then its
# body's bytes (CBOR text is UTF-8, so a note reads as it is).
import os
import socket
import struct
import sys


def head(major, value):
    if value < 24:
        return bytes([major << 5 | value])
    for width, code in ((1, 24), (2, 25), (4, 26), (8, 27)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | code]) + value.to_bytes(width, "big")
    raise ValueError(value)


def encode(value):
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode()
        return head(3, len(data)) + data
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(encode(v) for v in value)
    return head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())


build_dir, executable, selector = sys.argv[1:4]
with open(os.path.join(build_dir, ".ctestd", "socket")) as names:
    case_socket = names.read().splitlines()[1]
request = {"exe": executable, "framework": "gtest", "groupby": "suite", "group": selector.split(".")[0],
           "selector": selector, "cwd": build_dir, "args": [], "env": dict(os.environ), "timeout": 60.0,
           "invpid": os.getpid(), "invstart": 0, "invctest": False}
body = bytes([30]) + encode(request)
peer = socket.socket(socket.AF_UNIX)
peer.settimeout(30)
peer.connect(case_socket)
peer.sendall(len(body).to_bytes(4, "big") + body)
frame = b""
while len(frame) < 4 or len(frame) < 4 + int.from_bytes(frame[:4], "big"):
    chunk = peer.recv(65536)
    if not chunk:
        break
    frame += chunk
print(frame[4] if len(frame) > 4 else "none")
sys.stdout.buffer.write(frame[5:])
