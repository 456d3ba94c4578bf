/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mvm

#if !defined(MVM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define MVM_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(mvm_enter,
	TP_PROTO(u32 vcpu, u64 pc),
	TP_ARGS(vcpu, pc),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, pc)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->pc = pc;
	),
	TP_printk("vcpu %u pc 0x%llx", __entry->vcpu, __entry->pc)
);

/* reason: the MVM_EXIT_* userspace sees, 0 when handled in the kernel. */
TRACE_EVENT(mvm_exit,
	TP_PROTO(u32 vcpu, u32 reason, u64 vector, u64 pc, u64 cause),
	TP_ARGS(vcpu, reason, vector, pc, cause),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u32, reason)
		__field(u32, vector)
		__field(u64, pc)
		__field(u64, cause)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->reason = reason;
		__entry->vector = vector;
		__entry->pc = pc;
		__entry->cause = cause;
	),
	TP_printk("vcpu %u reason %u vector %u pc 0x%llx cause 0x%llx exc %llu",
		  __entry->vcpu, __entry->reason, __entry->vector, __entry->pc,
		  __entry->cause, (__entry->cause >> 2) & 0x1f)
);

TRACE_EVENT(mvm_tlb_refill,
	TP_PROTO(u32 vcpu, u64 gva, u64 gpa, u64 entrylo),
	TP_ARGS(vcpu, gva, gpa, entrylo),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u64, gva)
		__field(u64, gpa)
		__field(u64, entrylo)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->gva = gva;
		__entry->gpa = gpa;
		__entry->entrylo = entrylo;
	),
	TP_printk("vcpu %u gva 0x%llx gpa 0x%llx entrylo 0x%llx",
		  __entry->vcpu, __entry->gva, __entry->gpa, __entry->entrylo)
);

TRACE_EVENT(mvm_mmio,
	TP_PROTO(u32 vcpu, bool is_write, u64 gpa, u32 len, u64 val),
	TP_ARGS(vcpu, is_write, gpa, len, val),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(bool, is_write)
		__field(u64, gpa)
		__field(u32, len)
		__field(u64, val)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->is_write = is_write;
		__entry->gpa = gpa;
		__entry->len = len;
		__entry->val = val;
	),
	TP_printk("vcpu %u %s gpa 0x%llx len %u val 0x%llx", __entry->vcpu,
		  __entry->is_write ? "write" : "read", __entry->gpa,
		  __entry->len, __entry->val)
);

/*
 * A guest TLB instruction of patched kernel code done in mvm.ko (op: the
 * MVM_GK_CALL_* code), or left to the VMM (index -1).
 */
TRACE_EVENT(mvm_gk_tlb,
	TP_PROTO(u32 vcpu, u32 op, int index, u64 entryhi),
	TP_ARGS(vcpu, op, index, entryhi),
	TP_STRUCT__entry(
		__field(u32, vcpu)
		__field(u32, op)
		__field(int, index)
		__field(u64, entryhi)
	),
	TP_fast_assign(
		__entry->vcpu = vcpu;
		__entry->op = op;
		__entry->index = index;
		__entry->entryhi = entryhi;
	),
	TP_printk("vcpu %u %s index %d entryhi 0x%llx", __entry->vcpu,
		  __print_symbolic(__entry->op, { 1, "tlbp" }, { 2, "tlbr" },
				   { 3, "tlbwi" }, { 4, "tlbwr" },
				   { 7, "mtc0-entryhi" }),
		  __entry->index, __entry->entryhi)
);

#endif /* MVM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
