#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seed corpora for the CPU fuzzers, from real MIPS64R2 encodings.

usage: make-seeds.py CPU_DIR DECODE_DIR

CPU_DIR gets fuzz_cpu inputs (the layout of struct fuzz_input in
fuzz_cpu.c): small programs that exercise what the core must get right --
loads and stores to odd addresses, TLB instructions, ERET, WAIT, MTC0 to
Status and EntryHi, CACHE, LL/SC, faults in branch delay slots and on page
boundaries, self-modifying code, MMIO, interrupts, refill handlers.
DECODE_DIR gets fuzz_decode inputs: one instruction of every kind in
several processor modes.
"""
import os
import struct
import sys

# ---- a small assembler --------------------------------------------------

R = {n: i for i, n in enumerate(
    "zero at v0 v1 a0 a1 a2 a3 a4 a5 a6 a7 t0 t1 t2 t3 s0 s1 s2 s3 s4 s5 s6 s7 "
    "t8 t9 k0 k1 gp sp s8 ra".split())}


def I(op, rs, rt, imm):
    return (op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)


def Rr(rs, rt, rd, sa, funct, op=0):
    return (op << 26) | (rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | funct


def cop0(rs, rt, rd, sel=0):
    return (0x10 << 26) | (rs << 21) | (rt << 16) | (rd << 11) | sel


def mfc0(rt, rd, sel=0): return cop0(0, rt, rd, sel)
def dmfc0(rt, rd, sel=0): return cop0(1, rt, rd, sel)
def mtc0(rt, rd, sel=0): return cop0(4, rt, rd, sel)
def dmtc0(rt, rd, sel=0): return cop0(5, rt, rd, sel)


NOP = 0
EHB = 0xc0
SYNC = 0xf
ERET = 0x42000018
WAIT = 0x42000020
TLBR, TLBWI, TLBWR, TLBP = 0x42000001, 0x42000002, 0x42000006, 0x42000008
DERET = 0x4200001f
SYSCALL, BREAK = 0xc, 0xd
DI, EI = 0x41606000, 0x41606020


def lui(rt, imm): return I(0x0f, 0, rt, imm)
def ori(rt, rs, imm): return I(0x0d, rs, rt, imm)
def addiu(rt, rs, imm): return I(0x09, rs, rt, imm)
def daddiu(rt, rs, imm): return I(0x19, rs, rt, imm)
def lb(rt, off, base): return I(0x20, base, rt, off)
def lh(rt, off, base): return I(0x21, base, rt, off)
def lwl(rt, off, base): return I(0x22, base, rt, off)
def lw(rt, off, base): return I(0x23, base, rt, off)
def lbu(rt, off, base): return I(0x24, base, rt, off)
def lwr(rt, off, base): return I(0x26, base, rt, off)
def lwu(rt, off, base): return I(0x27, base, rt, off)
def sb(rt, off, base): return I(0x28, base, rt, off)
def sh(rt, off, base): return I(0x29, base, rt, off)
def swl(rt, off, base): return I(0x2a, base, rt, off)
def sw(rt, off, base): return I(0x2b, base, rt, off)
def sdl(rt, off, base): return I(0x2c, base, rt, off)
def sdr(rt, off, base): return I(0x2d, base, rt, off)
def swr(rt, off, base): return I(0x2e, base, rt, off)
def cache(op, off, base): return I(0x2f, base, op, off)
def ll(rt, off, base): return I(0x30, base, rt, off)
def pref(h, off, base): return I(0x33, base, h, off)
def lld(rt, off, base): return I(0x34, base, rt, off)
def ld(rt, off, base): return I(0x37, base, rt, off)
def sc(rt, off, base): return I(0x38, base, rt, off)
def scd(rt, off, base): return I(0x3c, base, rt, off)
def sd(rt, off, base): return I(0x3f, base, rt, off)
def ldl(rt, off, base): return I(0x1a, base, rt, off)
def ldr(rt, off, base): return I(0x1b, base, rt, off)
def beq(rs, rt, off): return I(0x04, rs, rt, off)
def bne(rs, rt, off): return I(0x05, rs, rt, off)
def beql(rs, rt, off): return I(0x14, rs, rt, off)
def bnel(rs, rt, off): return I(0x15, rs, rt, off)
def bltzal(rs, off): return I(0x01, rs, 0x10, off)
def bgezall(rs, off): return I(0x01, rs, 0x13, off)
def j(target): return (0x02 << 26) | ((target >> 2) & 0x3ffffff)
def jal(target): return (0x03 << 26) | ((target >> 2) & 0x3ffffff)
def jr(rs): return Rr(rs, 0, 0, 0, 0x08)
def jalr(rd, rs): return Rr(rs, 0, rd, 0, 0x09)
def addu(rd, rs, rt): return Rr(rs, rt, rd, 0, 0x21)
def add(rd, rs, rt): return Rr(rs, rt, rd, 0, 0x20)
def daddu(rd, rs, rt): return Rr(rs, rt, rd, 0, 0x2d)
def dsll32(rd, rt, sa): return Rr(0, rt, rd, sa, 0x3c)
def dsll(rd, rt, sa): return Rr(0, rt, rd, sa, 0x38)
def teq(rs, rt): return Rr(rs, rt, 0, 0, 0x34)
def ddiv(rs, rt): return Rr(rs, rt, 0, 0, 0x1e)
def rdhwr(rt, rd): return (0x1f << 26) | (rt << 16) | (rd << 11) | 0x3b
def rdpgpr(rd, rt): return cop0(0x0a, rt, rd)
def wrpgpr(rd, rt): return cop0(0x0e, rt, rd)
def dext(rt, rs, pos, size): return (0x1f << 26) | (rs << 21) | (rt << 16) | ((size - 1) << 11) | (pos << 6) | 3
def dins(rt, rs, pos, size): return (0x1f << 26) | (rs << 21) | (rt << 16) | ((pos + size - 1) << 11) | (pos << 6) | 7


def li64(rt, v):
    """Loads a 64-bit constant (6 instructions)."""
    v &= (1 << 64) - 1
    return [lui(rt, (v >> 48) & 0xffff), ori(rt, rt, (v >> 32) & 0xffff),
            dsll(rt, rt, 16), ori(rt, rt, (v >> 16) & 0xffff),
            dsll(rt, rt, 16), ori(rt, rt, v & 0xffff)]


# ---- the fuzz_cpu input layout -----------------------------------------

F_USER_START, F_BIG_RAM, F_HANDLERS, F_RAW_EBASE = 1, 2, 4, 8
F_NO_USER_MAP, F_RAW_PFN, F_TIMER_SOON, F_BEV = 16, 32, 64, 128

ST_IE, ST_EXL, ST_ERL = 1, 2, 4
ST_USER, ST_SUPER = 2 << 3, 1 << 3
ST_UX, ST_SX, ST_KX = 1 << 5, 1 << 6, 1 << 7
ST_CU0, ST_BEV = 1 << 28, 1 << 22
IM = lambda n: 1 << (8 + n)

KSEG0 = 0xffffffff80000000
USER_VA = 0x00400000


def entrylo(pa, flags=0x1f):       # C=3, D, V, G
    return ((pa >> 12) << 6) | flags


def cpu_input(kcode=(), ucode=(), handler=(), flags=0, status=ST_KX | ST_UX,
              ebase=0, pagemask=0, hwrena=0, compare=0, cause=0, wired=0,
              index=0, entryhi=0, epc=0, errorepc=0, user_va=USER_VA,
              context=0, regs=(), tlb=()):
    regs = list(regs) + [0x1122334455667788 * (i + 1) & (2**64 - 1)
                         for i in range(len(regs), 8)]
    tlb = list(tlb)[:4]
    out = struct.pack("<4B7I5Q8Q", flags, len(kcode), len(ucode), len(handler),
                      status, ebase, pagemask, hwrena, compare, cause,
                      wired | (index << 8),
                      entryhi, epc, errorepc, user_va, context,
                      *[r & (2**64 - 1) for r in regs])
    for t in tlb + [None] * (4 - len(tlb)):
        if t is None:
            out += bytes(24)
        else:
            hi, mask, lo0, lo1, idx = t
            out += struct.pack("<QIIII", hi, mask, lo0, lo1, idx | 0x100)
    assert len(out) == 232
    for w in list(kcode) + list(ucode) + list(handler):
        out += struct.pack("<I", w & 0xffffffff)
    return out


# Registers the harness sets (fuzz_cpu.c): $9 KSEG0 data, $10 odd data,
# $11 user_va, $12 user_va + 0x1000, $13 KSEG1 data, $14 xkphys data,
# $15 MMIO device (KSEG1), $16 kernel code, $17 KSEG0, $18 BEV area,
# $19 sseg, $20 xsseg, $21 xkseg, $22 end of RAM, $23 below MMIO window,
# $24 0x7ffffffc, $28 useg 0x40800, $29 stack, $31 kernel code + 0x40.
D, DO, UV, UV2, K1D, XK, MMIO, KC = 9, 10, 11, 12, 13, 14, 15, 16
KS0, BEVA, SSEG, XSSEG, XKSEG, RAMEND, WIN, TOP, USEG = 17, 18, 19, 20, 21, 22, 23, 24, 28

# A TLB refill handler: EntryHi holds the faulting VPN2 already; the
# EntryLo pair comes from the data page (regs[0], regs[1]).
REFILL = [lui(R["k1"], 0x8004), ld(R["k0"], 0, R["k1"]), ld(R["k1"], 8, R["k1"]),
          dmtc0(R["k0"], 2), dmtc0(R["k1"], 3), EHB, TLBWR, ERET]
# Skip the faulting instruction, reporting Cause and BadVAddr in $2/$3.
SKIP = [mfc0(2, 13), dmfc0(3, 8), dmfc0(R["k0"], 14), daddiu(R["k0"], R["k0"], 4),
        dmtc0(R["k0"], 14), EHB, ERET]


def cpu_seeds():
    s = {}
    user = ST_USER | ST_UX
    s["odd-loads-stores"] = cpu_input(kcode=[
        lw(1, 1, D), lh(2, 1, D), ld(3, 4, D), I(0x25, D, 4, 3),
        sw(1, 2, D), sh(1, 3, D), sd(1, 4, D), lwl(5, 1, DO), lwr(5, 2, DO),
        ldl(6, 3, D), ldr(6, 5, D), swl(1, 1, DO), swr(1, 6, DO), sdl(1, 7, D),
        sdr(1, 0xfff9, RAMEND), lw(7, 0, RAMEND), ld(7, 8, RAMEND), lw(8, 0, WIN)])
    s["tlb-ops"] = cpu_input(kcode=[
        addiu(1, 0, 5), mtc0(1, 0), lui(2, 0x0123), mtc0(2, 10),
        addiu(3, 0, entrylo(0x40000) & 0xffff), mtc0(3, 2),
        addiu(3, 0, entrylo(0x41000) & 0xffff), mtc0(3, 3), EHB, TLBWI,
        lw(4, 0, 2), sw(4, 0x1004, 2), TLBP, mfc0(5, 0), TLBR, mfc0(6, 10),
        addiu(7, 0, 0x55), mtc0(7, 10), EHB, lw(4, 0, 2), TLBWR, mtc0(0, 6),
        addiu(7, 0, 63), mtc0(7, 6), TLBWR, mfc0(8, 1), mtc0(0, 5), TLBP,
        lui(9, 0x1ff), mtc0(9, 5), TLBWI, lw(4, 0x2000, 2)])
    s["user-faults"] = cpu_input(flags=F_USER_START, status=user, ucode=[
        lw(1, 0, UV), sw(1, 4, UV), lw(2, 0, D), sw(2, 0, KS0), ld(3, 0, XK),
        lw(4, 0, XKSEG), lw(4, 0, SSEG), lw(4, 0, XSSEG), SYSCALL, BREAK, TLBWI,
        ERET, WAIT, cache(0x10, 0, UV), mfc0(1, 12), mtc0(0, 12), DI,
        rdhwr(1, 29), rdhwr(1, 2), rdhwr(1, 0), teq(0, 0), lw(5, 0, UV2),
        sw(5, 0x0ffc, UV2)])
    s["user-32bit"] = cpu_input(flags=F_USER_START, status=ST_USER, ucode=[
        daddu(1, 2, 3), ld(1, 0, UV), dsll32(1, 1, 3), lw(1, 0, UV), lw(1, 0, 24),
        addiu(2, 0, -1), add(3, 24, 24), ddiv(1, 2), dext(1, 2, 3, 4), jr(24), NOP])
    s["eret-to-user"] = cpu_input(kcode=li64(1, USER_VA) + [
        dmtc0(1, 14), addiu(2, 0, user | ST_EXL), mtc0(2, 12), EHB, ERET,
        NOP], ucode=[lw(3, 0, UV), addiu(3, 3, 1), sw(3, 0, UV), SYSCALL,
                     j(USER_VA), NOP])
    s["eret-erl"] = cpu_input(status=ST_ERL | ST_KX, errorepc=KSEG0 + 0x10010,
                              kcode=[lw(1, 0, USEG), sw(1, 4, USEG), ERET, NOP,
                                     mfc0(2, 12), lw(1, 0, USEG), SYSCALL])
    s["wait-poweroff"] = cpu_input(kcode=[mtc0(0, 12), EHB, WAIT, BREAK])
    s["wait-timer"] = cpu_input(flags=F_TIMER_SOON, compare=3000,
                                status=IM(7) | ST_IE | ST_KX,
                                kcode=[WAIT, mfc0(1, 13), mfc0(2, 9), WAIT,
                                       mtc0(2, 11), WAIT, DI, WAIT])
    s["timer-irq-handler"] = cpu_input(
        flags=F_TIMER_SOON | F_HANDLERS, compare=200, status=IM(7) | ST_IE,
        handler=[mfc0(R["k0"], 9), addiu(R["k0"], R["k0"], 500),
                 mtc0(R["k0"], 11), EHB, ERET],
        kcode=[addiu(1, 1, 1), beq(0, 0, -2), NOP])
    s["device-irq"] = cpu_input(
        cause=1 << 12, status=IM(4) | IM(7) | ST_IE, flags=F_HANDLERS,
        handler=[mfc0(R["k0"], 13), mtc0(0, 12), EHB, ERET],
        kcode=[addiu(1, 1, 1), beq(0, 0, -2), NOP])
    s["status-toggles"] = cpu_input(kcode=[
        mfc0(1, 12), ori(2, 1, ST_EXL), mtc0(2, 12), ld(3, 0, XK), mtc0(1, 12),
        addiu(4, 0, 0), mtc0(4, 12), ld(3, 0, XK), lw(3, 0, XKSEG),
        addiu(4, 0, ST_KX | ST_ERL), mtc0(4, 12), lw(5, 0, USEG), EHB,
        addiu(4, 0, ST_KX | ST_UX | ST_SX), mtc0(4, 12), lw(5, 0, USEG),
        lw(5, 0, XSSEG), EI, DI, addiu(4, 0, ST_SUPER | ST_SX | ST_EXL),
        mtc0(4, 12), SYSCALL])
    s["entryhi-asid"] = cpu_input(
        flags=F_USER_START, status=user, entryhi=0x12,
        tlb=[(USER_VA + 0x10000 | 0x12, 0, entrylo(0x40000, 0x7), entrylo(0x41000, 0x3), 3)],
        ucode=[lw(1, 0, UV), SYSCALL, lw(2, 0x10000, UV)],
        handler=[])
    s["asid-switch-kernel"] = cpu_input(
        tlb=[(USER_VA + 0x10000 | 0x12, 0, entrylo(0x40000, 0x6), entrylo(0x41000, 0x6), 3),
             (USER_VA + 0x10000 | 0x13, 0, entrylo(0x42000, 0x6), entrylo(0x43000, 0x6), 4)],
        entryhi=0x12, kcode=[
            lw(1, 0x10000, UV), sw(1, 0x10004, UV), addiu(2, 0, 0x13), mtc0(2, 10), EHB,
            lw(3, 0x10000, UV), sw(3, 0x10004, UV), addiu(2, 0, 0x12), mtc0(2, 10),
            lw(4, 0x10000, UV), TLBR, addiu(2, 0, 4), mtc0(2, 0), TLBR, mfc0(5, 10),
            lw(4, 0x10000, UV), addiu(2, 0, 3), mtc0(2, 0), mtc0(0, 2), TLBWI,
            lw(4, 0x10000, UV)])
    s["cache-ops"] = cpu_input(kcode=[
        cache(0x00, 0, KS0), cache(0x01, 0, D), cache(0x15, 0, D), cache(0x1c, 0x10, KC),
        cache(0x10, 0, UV), cache(0x19, 0, XKSEG), SYNC, I(0x01, KC, 0x1f, 0x20),
        pref(0, 0, XKSEG), pref(1, 3, D)])
    s["ll-sc"] = cpu_input(kcode=[
        ll(1, 0, D), addiu(1, 1, 1), sc(1, 0, D), ll(2, 0, D), sw(2, 0, D),
        sc(2, 0, D), sc(3, 0, D), lld(4, 8, D), scd(4, 8, D), ll(5, 0, MMIO),
        sc(5, 0, MMIO), ll(6, 1, D), sc(6, 2, D), ll(7, 0, UV), sc(7, 0, UV),
        ll(8, 0, D), SYSCALL, sc(8, 0, D), ll(8, 0, D), ERET, sc(8, 0, D),
        ll(1, 0x40, KC), sc(1, 0x40, KC)])
    s["delay-slot-faults"] = cpu_input(kcode=[
        beq(0, 0, 2), lw(1, 1, D), NOP, bne(0, 0, 2), sw(1, 1, D), NOP,
        beql(0, 1, 2), lw(1, 1, D), NOP, bnel(0, 0, 2), lw(1, 1, D), NOP,
        bltzal(0, 2), ld(1, 0, XKSEG), NOP, bgezall(0, 2), SYSCALL, NOP,
        jal(KSEG0 + 0x10080), BREAK, jr(10), NOP, jalr(31, 19), NOP,
        beq(0, 0, 1), TLBWI, beq(0, 0, 1), beq(0, 0, 4), NOP, ERET, beq(0, 0, 1), WAIT])
    # The branch at the end of the user page: its delay slot is on the next
    # page (mapped), or on an unmapped page.
    for name, va in (("page-end-branch", 0x00400ff0), ("page-end-unmapped", 0x00401ff0)):
        s[name] = cpu_input(flags=F_USER_START, status=user, user_va=va, ucode=[
            NOP, NOP, addiu(1, 0, 1), beq(0, 0, 3), lw(2, 0, UV), NOP, NOP,
            addiu(3, 0, 3), bne(1, 0, -8), sw(3, 0, UV), SYSCALL])
    s["self-modifying"] = cpu_input(kcode=[
        lui(1, 0x2402), ori(1, 1, 0x0077), sw(1, 0x18, KC), NOP, NOP, NOP,
        NOP, lw(3, 0x18, KC), sc(1, 0x24, KC), NOP, ll(4, 0x28, KC), sc(1, 0x28, KC),
        NOP, beq(0, 0, -12), sw(0, 0x34, KC), NOP])
    s["mmio"] = cpu_input(flags=F_BIG_RAM, kcode=[
        lb(1, 0, MMIO), lh(1, 2, MMIO), lw(1, 4, MMIO), ld(1, 8, MMIO),
        sb(1, 1, MMIO), sh(1, 2, MMIO), sw(1, 4, MMIO), sd(1, 8, MMIO),
        lwl(1, 5, MMIO), lwr(1, 6, MMIO), sdl(1, 0xff9, MMIO), swr(1, 0xffe, MMIO),
        lw(1, 0x1000, MMIO), lw(1, 0, WIN), ld(2, 0, RAMEND), lw(3, -4, 15),
        lw(4, 0, 18), sw(4, 0, 18)])
    s["refill-handler"] = cpu_input(
        flags=F_HANDLERS | F_NO_USER_MAP | F_USER_START, status=user,
        context=KSEG0, handler=REFILL, ucode=[lw(1, 0, UV)],
        regs=[entrylo(0x20000), entrylo(0x21000)])
    s["skip-handler"] = cpu_input(flags=F_HANDLERS, handler=SKIP, kcode=[
        lw(1, 1, D), ld(1, 0, XKSEG), SYSCALL, BREAK, TLBP, mfc0(1, 8),
        I(0x1d, 0, 0, 0), I(0x3b, 0, 0, 0), I(0x11, 0, 0, 0), DERET, 0x7000003f])
    s["ebase-moved"] = cpu_input(ebase=0x80000, kcode=[
        SYSCALL, lui(1, 0x8000), ori(1, 1, 0x5000), mtc0(1, 15, 1), SYSCALL,
        addiu(1, 0, 0x7000), mtc0(1, 15, 1), SYSCALL])
    s["raw-ebase"] = cpu_input(flags=F_RAW_EBASE, ebase=0x3ffff000, kcode=[SYSCALL])
    s["bev"] = cpu_input(flags=F_BEV, status=ST_BEV, kcode=[SYSCALL])
    s["xtlb-refill"] = cpu_input(status=ST_UX | ST_KX | ST_SX, kcode=li64(1, 0x1000000000) + [
        lw(2, 0, 1), lw(2, 0, XKSEG), lw(2, 0, XSSEG), lw(2, 0, SSEG),
        addiu(3, 0, 0), mtc0(3, 12), lw(2, 0, 1), lw(2, 0, XKSEG)])
    s["large-pages"] = cpu_input(
        flags=F_USER_START | F_NO_USER_MAP, status=user, user_va=0x10000000,
        tlb=[(0x10000000, 0x1ffe000, entrylo(0x0), entrylo(0x1000000), 1),
             (0x20000000, 0x7e000, entrylo(0x40000), entrylo(0x80000), 2),
             (0x30000000, 0x1e000, entrylo(0x20000), entrylo(0x30000), 63)],
        wired=3, regs=[0x10000000, 0x20000000, 0x30000000],
        ucode=[lw(9, 0, 1), lw(9, 0x4000, 2), sw(9, 0x7000, 3), lw(9, 0, 11)])
    s["odd-pagemask"] = cpu_input(
        tlb=[(0x10000000, 0x5000 << 1, entrylo(0x40000), entrylo(0x44000), 7)],
        regs=[0x10000000], kcode=[lw(2, 0, 1), lw(2, 0x2000, 1), lw(2, 0x8000, 1),
                                 sw(2, 0xa000, 1), lw(2, 0x6000, 1)])
    s["count-compare-random"] = cpu_input(kcode=[
        mfc0(1, 9), mtc0(1, 11), mfc0(2, 1), mtc0(0, 9), mfc0(3, 9), mfc0(4, 13),
        addiu(5, 0, 40), mtc0(5, 6), mfc0(6, 1), mfc0(7, 16, 1), mfc0(7, 15, 1),
        mtc0(7, 16, 0), mfc0(8, 17), mtc0(8, 31, 2), mfc0(8, 31, 2),
        rdpgpr(10, 9), wrpgpr(10, 9), rdhwr(1, 1), rdhwr(1, 3)])
    s["supervisor"] = cpu_input(flags=F_USER_START, status=ST_SUPER | ST_SX | ST_UX,
                                ucode=[lw(1, 0, SSEG), lw(1, 0, XSSEG), lw(1, 0, D),
                                       daddu(1, 1, 1), SYSCALL, lw(1, 0, UV)])
    s["loop-budget"] = cpu_input(kcode=[addiu(1, 1, 1), bne(1, 0, -2), NOP])
    s["eret-loop"] = cpu_input(epc=KSEG0 + 0x10000, kcode=[ERET])
    # The same programs under a debugger (bit 16 of the Wired/Index word,
    # breakpoints and watchpoints chosen by bits 20-31).
    for name in ("odd-loads-stores", "tlb-ops", "ll-sc", "delay-slot-faults",
                 "self-modifying", "skip-handler", "page-end-branch", "eret-to-user",
                 "count-compare-random", "mmio"):
        data = bytearray(s[name])
        word = struct.unpack_from("<I", data, 28)[0]
        sel = (len(name) * 0x9e5) & 0xfff
        struct.pack_into("<I", data, 28, (word & 0xffff) | 1 << 16 | sel << 20)
        s["debug-" + name] = bytes(data)
    return s


# ---- fuzz_decode inputs --------------------------------------------------

def decode_seeds():
    words = [
        NOP, Rr(1, 2, 3, 0, 0x21), Rr(1, 2, 3, 0, 0x20), Rr(1, 2, 3, 5, 0x02),
        Rr(1 | 1, 2, 3, 5, 0x02), Rr(1, 2, 3, 1, 0x06), Rr(1, 2, 3, 31, 0x3e),
        Rr(1, 2, 3, 31, 0x3a) | (1 << 21), Rr(1, 2, 0, 0, 0x1a), Rr(1, 2, 0, 0, 0x1e),
        Rr(1, 2, 0, 0, 0x1f), Rr(1, 2, 3, 0, 0x2c), Rr(1, 2, 0, 0, 0x34),
        Rr(1, 2, 3, 0, 0x0a), Rr(1, 2, 3, 0, 0x0b), Rr(0, 0, 3, 0, 0x10),
        addiu(1, 2, -1), daddiu(1, 2, 0x7fff), I(0x08, 11, 1, 1), I(0x18, 13, 1, -1),
        lui(1, 0x8000), ori(1, 2, 0xffff), I(0x0a, 2, 1, -5), I(0x0b, 2, 1, -5),
        lb(1, 0, 1), lw(1, 1, 1), ld(1, 0, 1), ld(1, 0, 5), lwu(1, 0, 5),
        sw(1, 0, 6), sd(1, 0, 7), sb(1, 0, 9), lwl(1, 3, 2), lwr(1, 0, 2),
        ldl(1, 7, 3), ldr(1, 1, 3), swl(1, 1, 2), swr(1, 2, 2), sdl(1, 5, 4),
        sdr(1, 3, 4), ll(1, 0, 1), sc(1, 0, 1), lld(1, 0, 1), scd(1, 0, 1),
        cache(0x10, 0, 1), pref(0, 0, 1), SYNC, I(0x01, 1, 0x1f, 0),
        mfc0(1, 12), dmfc0(1, 14), mtc0(1, 12), dmtc0(1, 10), mtc0(1, 0),
        mtc0(1, 11), mfc0(1, 9), mfc0(1, 1), DI, EI, rdpgpr(1, 2), wrpgpr(1, 2),
        TLBR, TLBWI, TLBWR, TLBP, WAIT, SYSCALL, BREAK, 0x7000003f,
        0x70000002, 0x70000000, 0x70000020, 0x70000025, rdhwr(1, 29), rdhwr(1, 2),
        rdhwr(1, 5), dext(1, 2, 3, 10), dins(1, 2, 5, 20), 0x7c000000 | (2 << 21) | (1 << 16) | (31 << 11) | (31 << 6) | 1,
        0x7c000000 | (2 << 21) | (1 << 16) | (31 << 11) | (31 << 6) | 2,
        0x7c000000 | (2 << 21) | (1 << 16) | (0 << 11) | (31 << 6) | 6,
        0x7c000000 | (2 << 21) | (1 << 16) | (31 << 11) | (0 << 6) | 5,
        0x7c000000 | (2 << 21) | (1 << 16) | (3 << 11) | (0x10 << 6) | 0x20,
        0x7c000000 | (1 << 16) | (3 << 11) | (0x05 << 6) | 0x24,
        0x44000000, 0x46000000, 0x48000000, 0xc4000000, 0xd4000000, 0xe4000000,
        0x4c000000, 0x00000001, I(0x1d, 0, 0, 0), I(0x1e, 0, 0, 0), I(0x3b, 0, 0, 0),
        Rr(0, 0, 0, 0, 0x05), beq(0, 0, 1), jr(1), ERET, DERET,
    ]
    seeds = {}
    modes = [0x00, 0x80 | (2 | 1 << 2), 2, 1 | 2 << 2, 0x20, 0x40 | 2 | 1 << 2, 0x1c]
    for i, w in enumerate(words):
        for m in (modes[i % len(modes)], modes[(i + 3) % len(modes)]):
            sel = bytes(((i * 7 + k * 5) % 16) | (((k * 3) % 4) << 4) for k in range(31))
            seeds["w%08x-m%02x" % (w, m)] = struct.pack("<IB", w & 0xffffffff, m) + sel + \
                struct.pack("<Q", 0x8000000000000000 >> (i % 64))
    return seeds


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for d, seeds in ((sys.argv[1], cpu_seeds()), (sys.argv[2], decode_seeds())):
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
