#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compares the records of the ISA test program from the oracle (qemu) and
from mvm's CPU core, one TAP line per case.

usage: compare.py MANIFEST EXPECTED GOT [KNOWN_BUGS]
       compare.py --dump MANIFEST RECORDS      (human-readable records)

KNOWN_BUGS lines are `NAME-PREFIX<TAB>description`: a failing case whose
name starts with a listed prefix is reported as `# SKIP known CPU bug`.
"""
import struct
import sys

RECORD = struct.Struct("<5Q32Q2Q256s")
MAGIC = 0x3252444345524153
SIGNALS = {0: "none", 4: "SIGILL", 5: "SIGTRAP", 8: "SIGFPE", 10: "SIGBUS",
           11: "SIGSEGV"}
REG_NAMES = ["zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "a4", "a5",
             "a6", "a7", "t0", "t1", "t2", "t3", "s0", "s1", "s2", "s3", "s4",
             "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra"]


def load_manifest(path):
    cases = []
    with open(path) as f:
        for line in f:
            idx, name, ignore = line.rstrip("\n").split("\t")
            cases.append((name, set(filter(None, ignore.split(",")))))
    return cases


def load_records(path):
    """Records by case index; a stream cut short yields fewer records."""
    with open(path, "rb") as f:
        data = f.read()
    out = {}
    for off in range(0, len(data) - RECORD.size + 1, RECORD.size):
        fields = RECORD.unpack_from(data, off)
        if fields[0] != MAGIC:
            break
        out[fields[1]] = fields
    return out


def fields_of(rec):
    _, _, signo, pc, addr = rec[:5]
    gpr = rec[5:37]
    hi, lo, mem = rec[37], rec[38], rec[39]
    return signo, pc, addr, gpr, hi, lo, mem


def describe(signo):
    return SIGNALS.get(signo, str(signo))


def differences(exp, got, ignore):
    e_sig, e_pc, e_addr, e_gpr, e_hi, e_lo, e_mem = fields_of(exp)
    g_sig, g_pc, g_addr, g_gpr, g_hi, g_lo, g_mem = fields_of(got)
    diffs = []
    if "qemu_pc_is_slot" in ignore:
        e_pc -= 4	# see QEMU_NOP_BRANCHES in gen.py
    if e_sig != g_sig:
        diffs.append(f"signal {describe(e_sig)} != {describe(g_sig)}")
    if e_pc != g_pc:
        diffs.append(f"pc {e_pc:#x} != {g_pc:#x}")
    if e_addr != g_addr:
        diffs.append(f"fault address {e_addr:#x} != {g_addr:#x}")
    for r in range(32):
        if e_gpr[r] != g_gpr[r]:
            diffs.append(f"${r}({REG_NAMES[r]}) {e_gpr[r]:#x} != {g_gpr[r]:#x}")
    if "hi" not in ignore and e_hi != g_hi:
        diffs.append(f"hi {e_hi:#x} != {g_hi:#x}")
    if "lo" not in ignore and e_lo != g_lo:
        diffs.append(f"lo {e_lo:#x} != {g_lo:#x}")
    for i in range(0, len(e_mem), 8):
        if e_mem[i:i + 8] != g_mem[i:i + 8]:
            e = int.from_bytes(e_mem[i:i + 8], "little")
            g = int.from_bytes(g_mem[i:i + 8], "little")
            diffs.append(f"mem[{i:#x}] {e:#018x} != {g:#018x}")
    return diffs


def load_known(path):
    known = []
    if path:
        with open(path) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    prefix, _, desc = line.rstrip("\n").partition("\t")
                    known.append((prefix, desc.strip()))
    return known


def compare(manifest, expected, got, known_path=None):
    cases = load_manifest(manifest)
    exp = load_records(expected)
    res = load_records(got)
    known = load_known(known_path)
    print(f"1..{len(cases)}")
    failed = 0
    for i, (name, ignore) in enumerate(cases):
        n = i + 1
        if i not in exp:
            print(f"not ok {n} - {name}: the oracle produced no record")
            failed += 1
            continue
        if i not in res:
            diffs = ["mvm produced no record (the runner stopped earlier)"]
        else:
            diffs = differences(exp[i], res[i], ignore)
        if not diffs:
            print(f"ok {n} - {name}")
            continue
        bug = next((d for p, d in known if name.startswith(p)), None)
        detail = "; ".join(diffs[:6]) + (" ..." if len(diffs) > 6 else "")
        if bug:
            print(f"ok {n} - {name} # SKIP known CPU bug: {bug} ({detail})")
        else:
            print(f"not ok {n} - {name}: expected != got: {detail} "
                  f"(code: isa_body_{i} in cases.S)")
            failed += 1
    return failed


def dump(manifest, records):
    cases = load_manifest(manifest)
    for i, rec in sorted(load_records(records).items()):
        signo, pc, addr, gpr, hi, lo, mem = fields_of(rec)
        name = cases[i][0] if i < len(cases) else "?"
        print(f"{i} {name}: {describe(signo)} pc={pc:#x} addr={addr:#x} "
              f"hi={hi:#x} lo={lo:#x}")


def main():
    if sys.argv[1] == "--dump":
        dump(sys.argv[2], sys.argv[3])
        return 0
    compare(*sys.argv[1:5])
    return 0


if __name__ == "__main__":
    sys.exit(main())
