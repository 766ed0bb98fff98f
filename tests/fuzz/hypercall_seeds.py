#!/usr/bin/env python3
"""Writes the seeds of fuzz_hypercall (tests/fuzz/seeds/fuzz_hypercall/).

Each seed is a call sequence a real root would make, in the input format
tests/fuzz/fuzz_hypercall.c reads: a configuration byte, then steps. Run it
after changing that format or hv_host.h's memory layout:

    tests/fuzz/hypercall_seeds.py tests/fuzz/seeds/fuzz_hypercall
"""
import os
import struct
import sys

# hv_host.h
ROOT_RAM_BASE = (1 << 24) - (4 << 20) + 64 * 4096
ROOT_RAM_PFN = ROOT_RAM_BASE >> 12
SELF = 0xFFFFFFFFFFFFFFFF
CHILD = 2  # the first partition the root creates

# Root pages the seeds use, by page index from ROOT_RAM_BASE.
IN_PAGE, OUT_PAGE, SIM_PAGE, SIEF_PAGE, INTERCEPT_PAGE = 0, 1, 2, 3, 4
CHILD_RAM = 8          # pages 8-15 become the child's GPA 0-7
DEPOSITS = 16          # pages from 16 on are deposited

# Configuration byte: scheduler (0 classic, 1 core, 2 root, 3 classic without SMT), LP 1.
LP1_NONE, LP1_ROOT, LP1_CHILDREN = 0, 1, 2

# Operations (fuzz_hypercall.c, enum op) and MSR selectors (take_msr).
OP_HYPERCALL, OP_MSR_WRITE, OP_MSR_READ, OP_CPUID, OP_MEMORY_WRITE, OP_TIME, OP_OTHER = 0, 6, 7, 8, 9, 10, 11
SINT0, STIMER0_CONFIG = 0, 16
GUEST_OS_ID, HYPERCALL_MSR, VP_INDEX, SCONTROL, SVERSION, SIEFP, SIMP, EOM = range(24, 32)
EXIT_EXTERNAL, EXIT_GPA_FAULT, EXIT_HLT, EXIT_IO, EXIT_TRIPLE_FAULT = 3, 4, 5, 6, 7

# take_msr's table after the SINTs and timers, as far as the seeds use it.
OTHER_MSRS_BEFORE_APIC = ['GUEST_OS_ID', 'HYPERCALL', 'VP_INDEX', 'SCONTROL', 'SVERSION', 'SIEFP', 'SIMP', 'EOM',
                          'TIME_REF_COUNT', 'REFERENCE_TSC', 'TSC_FREQUENCY', 'APIC_FREQUENCY', 'CRASH_P0',
                          'CRASH_P3', 'CRASH_P4', 'CRASH_CTL']
APIC_REGS = [0x40000070, 0x40000071, 0x40000072, 0x1b, 0x6e0, 0x802, 0x803, 0x808, 0x80b, 0x80d, 0x80f, 0x828,
             0x830, 0x832, 0x838, 0x839, 0x83e, 0x83f]

# TLFS call codes and names
CreatePartition, InitializePartition, FinalizePartition, DeletePartition = 0x40, 0x41, 0x42, 0x43
GetPartitionProperty, SetPartitionProperty, GetPartitionId, GetNextChildPartition = 0x44, 0x45, 0x46, 0x47
DepositMemory, WithdrawMemory, GetMemoryBalance, MapGpaPages, UnmapGpaPages = 0x48, 0x49, 0x4A, 0x4B, 0x4C
InstallIntercept, CreateVp, DeleteVp, GetVpRegisters, SetVpRegisters = 0x4D, 0x4E, 0x4F, 0x50, 0x51
TranslateVirtualAddress, DeletePort, DisconnectPort, PostMessage, SignalEvent = 0x52, 0x58, 0x5B, 0x5C, 0x5D
AssertVirtualInterrupt, CreatePort, ConnectPort, DispatchVp, MapVpStatePage = 0x94, 0x95, 0x96, 0xC2, 0xE1
SendSyntheticClusterIpi, NotifyLongSpinWait = 0x0B, 0x08
SendSyntheticClusterIpiEx, GetSystemProperty = 0x15, 0x7B
CreateCpuGroup, DeleteCpuGroup, SetCpuGroupCap = 0x180, 0x181, 0x182
StartVirtualProcessor, GetVpCpuidValues = 0x99, 0xF4
FAST = 1 << 16
RegExplicitSuspend, RegInterceptSuspend, RegRip, RegRflags, RegCr0, RegCr3, RegEfer, RegCs = 0, 1, 0x20010, 0x20011, 0x40000, 0x40002, 0x80001, 0x60001
PropCpuCap, PropCpuWeight, PropCpuGroupId = 0x20002, 0x20003, 0x20004


def u8(v):
    return struct.pack('<B', v)


def u16(v):
    return struct.pack('<H', v)


def u32(v):
    return struct.pack('<I', v)


def u64(v):
    return struct.pack('<Q', v & 0xFFFFFFFFFFFFFFFF)


def cfg(scheduler=0, lp1=LP1_NONE, sibling=False):
    return u8(scheduler | lp1 << 2 | (0x10 if sibling else 0))


def page_sel(page, offset=0):
    """A GPA operand: 8-byte slot from the calling partition's RAM base."""
    return u16((page * 4096 + offset) // 8)


def call(code, data=b'', reps=0, lp=0, in_page=IN_PAGE, out_page=OUT_PAGE):
    control = code | reps << 32
    return (u8(OP_HYPERCALL | lp << 7) + u64(control) + page_sel(in_page) + page_sel(out_page) +
            u16(len(data)) + data)


def fast_call(code, in_reg, out_reg=0, lp=0):
    return u8(OP_HYPERCALL | lp << 7) + u64(code | FAST) + u64(in_reg) + u64(out_reg)


def wrmsr(sel, value, lp=0):
    return u8(OP_MSR_WRITE | lp << 7) + u8(sel) + u64(value)


def exit_(kind, operands=b'', lp=0):
    return u8(OP_OTHER | lp << 7) + u8(kind) + operands


def time(ticks, lp=0):
    return u8(OP_TIME | lp << 7) + u32(ticks)


def memory(page, data, lp=0):
    return u8(OP_MEMORY_WRITE | lp << 7) + page_sel(page) + u16(len(data)) + data


def pfns(first, count):
    return b''.join(u64(ROOT_RAM_PFN + first + i) for i in range(count))


def deposit(partition, first, count):
    return call(DepositMemory, u64(partition) + pfns(first, count), reps=count)


def create_child(root_pages=4):
    """Root pool for the partition object (and ports), the child, its pool, initialized, VP 0, 8 pages at GPA 0."""
    return (deposit(SELF, DEPOSITS, root_pages) +
            call(CreatePartition, bytes(56)) +
            deposit(CHILD, DEPOSITS + root_pages, 24) +
            call(InitializePartition, u64(CHILD)) +
            call(CreateVp, u64(CHILD) + u32(0) + bytes(28)) +
            call(MapGpaPages, u64(CHILD) + u64(0) + u64(0xF) + pfns(CHILD_RAM, 8), reps=8))


def vp_regs(partition, vp, regs):
    return call(SetVpRegisters, u64(partition) + u32(vp) + u32(0) +
                b''.join(u32(name) + bytes(12) + u64(value) + u64(0) for name, value in regs),
                reps=len(regs))


def dispatch(vp=0):
    return call(DispatchVp, u64(CHILD) + u32(vp) + u32(0) + u64(0) + u64(0))


def lifecycle():
    return (cfg(2) + create_child() +
            vp_regs(CHILD, 0, [(RegRip, 0x1000), (RegRflags, 0x202)]) +
            call(GetVpRegisters, u64(CHILD) + u32(0) + u32(0) + u32(RegRip) + u32(RegRflags), reps=2) +
            call(GetMemoryBalance, u64(CHILD) + u64(0)) +
            call(GetPartitionProperty, u64(CHILD) + u32(0x10000) + u32(0)) +
            call(GetNextChildPartition, u64(SELF) + u64(0)) +
            call(UnmapGpaPages, u64(CHILD) + u64(7) + u64(0), reps=1) +
            call(DeleteVp, u64(CHILD) + u32(0) + u32(0)) +
            call(FinalizePartition, u64(CHILD)) +
            call(WithdrawMemory, u64(CHILD) + u64(0), reps=24) +
            call(DeletePartition, u64(CHILD)) +
            call(WithdrawMemory, u64(SELF) + u64(0), reps=4))


def dispatch_intercepts():
    """The root dispatches VP 0; the child identifies itself, calls, and comes back with intercepts."""
    return (cfg(2) + create_child() +
            call(InstallIntercept, u64(CHILD) + u32(4) + u32(2) + u64(0x40000000)) +
            call(MapVpStatePage, u64(CHILD) + u32(0) + u16(1) + u8(0) + u8(1) + u64(ROOT_RAM_PFN + INTERCEPT_PAGE)) +
            dispatch() +
            wrmsr(GUEST_OS_ID, 0x8100000000000000) +
            call(GetPartitionId, b'', in_page=0, out_page=1) +
            exit_(EXIT_IO, u16(0x3f8) + u8(0)) +
            vp_regs(CHILD, 0, [(RegRip, 0x1001)]) +
            dispatch() +
            u8(OP_CPUID) + u8(4) + u8(0) +
            dispatch() +
            fast_call(NotifyLongSpinWait, 1) +
            dispatch() +
            exit_(EXIT_HLT) +
            dispatch() +
            exit_(EXIT_GPA_FAULT, page_sel(64) + u8(1)) +
            dispatch() +
            exit_(EXIT_TRIPLE_FAULT) +
            call(FinalizePartition, u64(CHILD)) +
            call(DeletePartition, u64(CHILD)))


def msg_port(owner, port, vp, sint):
    return call(CreatePort, u64(owner) + u32(port) + u32(0) + u64(0) + u32(1) + u32(0) + u32(sint) + u32(vp) +
                u64(0) + u64(0))


def event_port(owner, port, vp, sint):
    return call(CreatePort, u64(owner) + u32(port) + u32(0) + u64(0) + u32(2) + u32(0) + u32(sint) + u32(vp) +
                u16(0) + u16(16) + u32(0) + u64(0))


def connect(sender, conn, owner, port):
    return call(ConnectPort, u64(sender) + u32(conn) + u32(0) + u64(owner) + u32(port) + u32(0) + bytes(32) + u64(0))


def post(conn, text):
    return call(PostMessage, u32(conn) + u32(0) + u32(1) + u32(len(text)) + text.ljust(240, b'\0'))


def ports():
    """Message and event ports both ways, SynIC pages in the root and in the child."""
    return (cfg(2) +
            wrmsr(SIMP, ROOT_RAM_BASE + SIM_PAGE * 4096 + 1) +
            wrmsr(SIEFP, ROOT_RAM_BASE + SIEF_PAGE * 4096 + 1) +
            wrmsr(SINT0 + 2, 0x30) +
            wrmsr(SCONTROL, 1) +
            create_child(root_pages=8) +
            msg_port(SELF, 1, 0, 2) + event_port(SELF, 2, 0, 2) +
            connect(CHILD, 11, 1, 1) + connect(CHILD, 12, 1, 2) +
            msg_port(CHILD, 3, 0, 1) + connect(SELF, 13, CHILD, 3) +
            post(13, b'too early') +
            dispatch() +
            wrmsr(GUEST_OS_ID, 0x8100000000000000) +
            wrmsr(SIMP, 0x1001) + wrmsr(SINT0 + 1, 0x31) + wrmsr(SCONTROL, 1) +
            call(PostMessage, u32(11) + u32(0) + u32(1) + u32(4) + b'ping'.ljust(240, b'\0'),
                 in_page=2, out_page=3) +
            fast_call(SignalEvent, 12 | 5 << 32) +
            exit_(EXIT_EXTERNAL) +
            post(13, b'hello child') + post(13, b'again') +
            memory(SIM_PAGE, bytes(16)) + wrmsr(EOM, 0) +
            call(DisconnectPort, u64(CHILD) + u32(11) + u32(0)) +
            call(DeletePort, u64(SELF) + u32(1) + u32(0)) +
            call(DeletePartition, u64(CHILD)))


def scheduler():
    """Classic scheduler with LP 1 for children: the VP runs there once ExplicitSuspend is cleared."""
    return (cfg(0, LP1_CHILDREN) + create_child() +
            call(SetPartitionProperty, u64(CHILD) + u32(PropCpuWeight) + u32(0) + u64(200)) +
            call(SetPartitionProperty, u64(CHILD) + u32(PropCpuCap) + u32(0) + u64(32768)) +
            call(CreateCpuGroup, u64(3) + u32(65536) + u32(0)) +
            vp_regs(CHILD, 0, [(RegExplicitSuspend, 0)]) +
            wrmsr(GUEST_OS_ID, 0x8100000000000000, lp=1) +
            call(GetPartitionId, b'', lp=1, in_page=0, out_page=1) +
            time(20000000, lp=1) +
            exit_(EXIT_HLT, lp=1) +
            call(AssertVirtualInterrupt, u64(CHILD) + u32(0) + u32(0) + u64(0) + u32(0x40) + u32(0)) +
            exit_(EXIT_IO, u16(0x80) + u8(0), lp=1) +
            vp_regs(CHILD, 0, [(RegInterceptSuspend, 0)]) +
            exit_(EXIT_EXTERNAL, lp=1) +
            vp_regs(CHILD, 0, [(RegExplicitSuspend, 1)]) +
            exit_(EXIT_EXTERNAL, lp=1) +
            call(DeletePartition, u64(CHILD)))


def timers():
    """Synthetic timers and IPIs in a dispatched child, with time passing."""
    return (cfg(2) + create_child() +
            dispatch() +
            wrmsr(GUEST_OS_ID, 0x8100000000000000) +
            wrmsr(SIMP, 0x2001) + wrmsr(SINT0 + 3, 0x40) + wrmsr(SCONTROL, 1) +
            wrmsr(STIMER0_CONFIG + 1, 10000) + wrmsr(STIMER0_CONFIG, 1 | 2 | 3 << 16) +
            time(3000000) + time(3000000) +
            fast_call(SendSyntheticClusterIpi, 0x50, 1) +
            exit_(EXIT_HLT) +
            dispatch() + time(5000000) + exit_(EXIT_EXTERNAL) +
            call(DeletePartition, u64(CHILD)))


def translate():
    """A 64-bit child with 4-level page tables in its memory; the root translates its addresses."""
    tables = (memory(CHILD_RAM + 1, u64(0x2000 | 7)) +   # PML4 at GPA 0x1000
              memory(CHILD_RAM + 2, u64(0x3000 | 7)) +   # PDPT
              memory(CHILD_RAM + 3, u64(0x4000 | 7)) +   # PD
              memory(CHILD_RAM + 4, u64(0x5000 | 3)))    # PT: GVA 0 -> GPA 0x5000, supervisor
    return (cfg(2) + create_child() + tables +
            vp_regs(CHILD, 0, [(RegCr3, 0x1000), (RegEfer, 0x500 | 0x800), (RegCr0, 0x80000011)]) +
            call(TranslateVirtualAddress, u64(CHILD) + u32(0) + u32(0) + u64(0x13) + u64(0)) +
            call(TranslateVirtualAddress, u64(CHILD) + u32(0) + u32(0) + u64(0x82) + u64(0)) +
            call(TranslateVirtualAddress, u64(CHILD) + u32(0) + u32(0) + u64(0x1) + u64(0x200)) +
            call(SetVpRegisters, u64(CHILD) + u32(0) + u32(0) +   # CS: 64-bit code
                 u32(RegCs) + bytes(12) + u64(0) + u32(0xffffffff) + u16(0x08) + u16(0xa09b), reps=1) +
            dispatch() +
            wrmsr(GUEST_OS_ID, 0x8100000000000000) +
            call(GetPartitionId, b'', in_page=6, out_page=7) +
            exit_(EXIT_IO, u16(0x3f8) + u8(0)) +
            call(DeletePartition, u64(CHILD)))


def two_roots():
    """Root VPs on both LPs: one dispatches the child while the other tries to take it apart."""
    return (cfg(2, LP1_ROOT) + create_child() +
            dispatch() +
            call(DeleteVp, u64(CHILD) + u32(0) + u32(0), lp=1) +
            call(FinalizePartition, u64(CHILD), lp=1) +
            call(WithdrawMemory, u64(CHILD) + u64(0), reps=8, lp=1) +
            exit_(EXIT_EXTERNAL) +
            call(DeletePartition, u64(CHILD), lp=1))


def rdmsr(sel, lp=0):
    return u8(OP_MSR_READ | lp << 7) + u8(sel)


def queries_and_apic():
    """Properties, intercepts, CPU groups; a child's x2APIC, its timer and IPIs, synthetic IPIs."""
    apic = lambda reg: 24 + len(OTHER_MSRS_BEFORE_APIC) + APIC_REGS.index(reg)
    return (cfg(0, LP1_CHILDREN, sibling=True) +
            call(GetSystemProperty, u32(15) + u32(0)) +
            create_child(root_pages=8) +
            call(CreatePartition, bytes(56)) +
            call(SetPartitionProperty, u64(CHILD + 1) + u32(0x10000) + u32(0) + u64(0x3f)) +
            call(InitializePartition, u64(CHILD + 1)) +
            b''.join(call(GetPartitionProperty, u64(CHILD) + u32(code) + u32(0))
                     for code in (0x10000, 0x20001, 0x20002, 0x20003, 0x20004, 0x30005, 0x50010, 0x50011, 0x70000)) +
            call(SetPartitionProperty, u64(CHILD) + u32(0x20001) + u32(0) + u64(8192)) +
            call(CreateCpuGroup, u64(2) + u32(32768) + u32(0)) +
            call(SetPartitionProperty, u64(CHILD) + u32(PropCpuGroupId) + u32(0) + u64(0)) +
            call(SetCpuGroupCap, u32(0) + u32(16384)) +
            call(DeleteCpuGroup, u32(0) + u32(0)) +
            call(InstallIntercept, u64(CHILD) + u32(3) + u32(1) + u64(0x40000021)) +
            call(InstallIntercept, u64(CHILD) + u32(1) + u32(0) + u64(0x60)) +
            dispatch() +
            wrmsr(GUEST_OS_ID, 0x8100000000000000) +
            wrmsr(apic(0x1b), 0x00fe0000 | 0xc00) +
            wrmsr(apic(0x80f), 0x1ff) + wrmsr(apic(0x808), 0x10) +
            wrmsr(apic(0x832), 0x41) + wrmsr(apic(0x83e), 0xb) + wrmsr(apic(0x838), 1000) +
            wrmsr(apic(0x83f), 0x42) + wrmsr(apic(0x830), 0x43 | 1 << 18) + rdmsr(apic(0x802)) +
            time(5000) + wrmsr(apic(0x80b), 0) + wrmsr(apic(0x40000070), 0) +
            call(SendSyntheticClusterIpiEx | 1 << 17, u32(0x50) + u32(0) + u64(0) + u64(1) + u64(1),
                 in_page=2, out_page=3) +
            call(SendSyntheticClusterIpiEx, u32(0x51) + u32(0) + u64(1) + u64(0), in_page=2, out_page=3) +
            u8(OP_CPUID) + u8(7) + u8(0) + u8(OP_CPUID) + u8(1) + u8(0) +
            wrmsr(24 + 9, 0x5001) +
            exit_(EXIT_HLT) +
            call(AssertVirtualInterrupt, u64(CHILD) + u32(5) + u32(0) + u64(0) + u32(0) + u32(0)) +
            call(AssertVirtualInterrupt, u64(CHILD) + u32(6) + u32(0) + u64(0) + u32(0x10) + u32(0)) +
            call(DeletePartition, u64(CHILD + 1)) +
            call(DeletePartition, u64(CHILD)))


def segment(selector, limit, attributes, base=0):
    return u64(base) + u32(limit) + u16(selector) + u16(attributes)


def vp_context(rip=0x1000, cr4=0x20):
    """HV_INITIAL_VP_CONTEXT: 64-bit code at @rip, paging from the child's GPA 0x1000."""
    return (u64(rip) + u64(0x2000) + u64(2) +
            segment(0x08, 0xffffffff, 0xa09b) + segment(0x10, 0xffffffff, 0xc093) * 5 +
            segment(0, 0xffff, 0x8b) + segment(0, 0xffff, 0x82) +
            bytes(6) + u16(0xffff) + u64(0) + bytes(6) + u16(23) + u64(0x4000) +
            u64(0x500) + u64(0x80000011) + u64(0x1000) + u64(cr4) + u64(0x0007040600070406))


def start_vp(vp, context, vtl=0, lp=0):
    """HvCallStartVirtualProcessor from the child VP the LP runs, its input at the child's GPA 0."""
    return call(StartVirtualProcessor, u64(SELF) + u32(vp) + u8(vtl) + bytes(3) + context, lp=lp)


def vp_cpuid(vp, leaves, flags=3):
    return call(GetVpCpuidValues, u64(CHILD) + u32(vp) + u32(flags) + u32(0) + u32(0) +
                b''.join(u32(leaf) + u32(subleaf) for leaf, subleaf in leaves), reps=len(leaves))


def start_dispatched():
    """VP 0, dispatched, starts VP 1 (after refused starts); the root dispatches VP 1 and reads CPUID values."""
    return (cfg(2) + create_child() + call(CreateVp, u64(CHILD) + u32(1) + bytes(28)) +
            dispatch() +
            wrmsr(GUEST_OS_ID, 0x8100000000000000) +
            start_vp(1, vp_context(), vtl=1) +
            start_vp(1, vp_context(cr4=0x20 | 1 << 63)) +
            start_vp(0, vp_context()) +
            start_vp(1, vp_context()) +
            start_vp(1, vp_context()) +
            exit_(EXIT_HLT) +
            call(GetVpRegisters, u64(CHILD) + u32(1) + u32(0) + u32(RegExplicitSuspend), reps=1) +
            dispatch(vp=1) +
            exit_(EXIT_HLT) +
            vp_cpuid(1, [(1, 0), (0xb, 0), (0xd, 0), (0x40000003, 0)]) +
            vp_cpuid(0, [(0x40000000, 0)], flags=0) +
            call(DeletePartition, u64(CHILD)))


def start_scheduled():
    """Classic scheduler with LP 1 for children: VP 0 starts VP 1 there and halts; VP 1 runs."""
    return (cfg(0, LP1_CHILDREN) + create_child() + call(CreateVp, u64(CHILD) + u32(1) + bytes(28)) +
            vp_regs(CHILD, 0, [(RegExplicitSuspend, 0)]) +
            wrmsr(GUEST_OS_ID, 0x8100000000000000, lp=1) +
            start_vp(1, vp_context(), lp=1) +
            exit_(EXIT_HLT, lp=1) +
            time(20000000, lp=1) +
            u8(OP_CPUID | 1 << 7) + u8(1) + u8(0) +
            vp_cpuid(1, [(1, 0), (0xb, 1)]) +
            vp_regs(CHILD, 1, [(RegExplicitSuspend, 1)]) +
            call(DeletePartition, u64(CHILD)))


def regress_create_vp_leak():
    """HvCallCreateVp one page short: it fails and takes nothing (it kept the control block before)."""
    create_vp = call(CreateVp, u64(CHILD) + u32(0) + bytes(28))
    return (cfg(2) + deposit(SELF, DEPOSITS, 4) + call(CreatePartition, bytes(56)) +
            deposit(CHILD, DEPOSITS + 4, 3) + call(InitializePartition, u64(CHILD)) +
            create_vp + deposit(CHILD, DEPOSITS + 7, 1) + create_vp +
            call(DeletePartition, u64(CHILD)))


def regress_delete_vp_queued_message():
    """HvCallDeleteVp with a message queued for the VP: the buffer goes back to its port (it was lost)."""
    return (cfg(2) + create_child(root_pages=8) + msg_port(CHILD, 3, 0, 1) + connect(SELF, 13, CHILD, 3) +
            dispatch() + wrmsr(GUEST_OS_ID, 1) + wrmsr(SIMP, 0x1001) + wrmsr(SCONTROL, 1) + exit_(EXIT_EXTERNAL) +
            post(13, b'delivered') + post(13, b'queued') +
            call(DeleteVp, u64(CHILD) + u32(0) + u32(0)) +
            call(CreateVp, u64(CHILD) + u32(0) + bytes(28)) +
            post(13, b'no VP listens') + call(DeletePartition, u64(CHILD)))


def regress_port_after_finalize():
    """HvCallCreatePort in a finalized partition is refused (its pages outlived the partition before)."""
    return (cfg(2) + create_child() + call(FinalizePartition, u64(CHILD)) + msg_port(CHILD, 1, 0, 1) +
            call(DeletePartition, u64(CHILD)))


SEEDS = {
    'lifecycle': lifecycle,
    'dispatch_intercepts': dispatch_intercepts,
    'ports': ports,
    'scheduler': scheduler,
    'timers': timers,
    'translate': translate,
    'two_roots': two_roots,
    'queries_and_apic': queries_and_apic,
    'start_dispatched': start_dispatched,
    'start_scheduled': start_scheduled,
    'regress_create_vp_leak': regress_create_vp_leak,
    'regress_delete_vp_queued_message': regress_delete_vp_queued_message,
    'regress_port_after_finalize': regress_port_after_finalize,
}

if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'seeds', 'fuzz_hypercall')
    os.makedirs(out, exist_ok=True)
    for name, seed in SEEDS.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(seed())
