#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""hmp.py SOCKET COMMAND: send one command to a QEMU human monitor
(-mon mode=readline on a unix socket) and print what it answered.

Used by tests/vm/lib/boot.sh for the guest's monitor requests.  Exit 0
when the monitor answered with a prompt and no line starting "Error",
1 otherwise (the answer is printed either way)."""
import socket
import sys
import time

PROMPT = b"(qemu) "


def read_to_prompt(s, limit):
    buf = b""
    end = time.monotonic() + limit
    while PROMPT not in buf and time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        buf += chunk
    return buf


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    read_to_prompt(s, 10)			# banner
    s.sendall(sys.argv[2].encode() + b"\n")
    out = read_to_prompt(s, 30)
    s.close()
    # the echo of the command (with terminal escapes), then the answer
    text = out.decode(errors="replace").replace("\r", "")
    lines = [ln for ln in text.split("\n")
             if ln.strip() and not ln.startswith("(qemu)")
             and "\x1b" not in ln and ln.strip() != sys.argv[2]]
    print("\n".join(lines))
    ok = PROMPT in out and not any(ln.startswith("Error") for ln in lines)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
