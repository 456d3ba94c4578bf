// SPDX-License-Identifier: GPL-2.0
/*
 * Split execution under mvm.ko: the guest's user mode runs natively in the
 * module (MVM_CAP_GUEST_MMU: the module translates through a mirror of the
 * guest's TLB), its kernel mode runs in the VMM's CPU core, the same one
 * the emulation backend runs. See Documentation/kmod.md, "Split mode".
 *
 * The rule that keeps this exact: every exit of a native run that is not
 * plainly an interruption or an MMIO access is handed back to the core,
 * which executes the instruction at the exit PC itself (cpu__step). The
 * core then either completes it (an instruction the host CPU lacks, an
 * rdhwr the module did not serve) or raises the guest exception with
 * every CP0 side effect the architecture defines (EPC/BD, BadVAddr,
 * Context, XContext, EntryHi, the refill vector), from one implementation.
 */
#define _GNU_SOURCE	/* gettid */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "backend_kmod.h"
#include "device.h"
#include "host_clock.h"
#include "log.h"
#include "patch.h"

#define STATUS_IE		(1ULL << 0)
#define STATUS_IM_TIMER		(1ULL << 15)	/* IP7: the Count/Compare timer */
#define MVM_REG_ENTRYHI		MVM_REG_CP0(10, 0)
#define ENTRYHI_ASID_MASK	0xffULL
#define MVM_REG_USERLOCAL	MVM_REG_CP0(4, 2)
#define MVM_REG_HWRENA		MVM_REG_CP0(7, 0)

static int set_one_reg(struct kmod_vcpu *k, uint64_t id, uint64_t val)
{
	struct mvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	if (!ioctl(k->vcpu_fd, MVM_SET_ONE_REG, &r))
		return 0;
	pr_err("kmod: vCPU %d: MVM_SET_ONE_REG 0x%llx: %s", k->id,
	       (unsigned long long)id, strerror(errno));
	return -1;
}

/* A kick from another thread (an interrupt line, the board stopping). */
static void kmod_split__notify(void *arg)
{
	struct kmod_vcpu *k = arg;

	if (!atomic_load(&k->native))
		return;
	__atomic_store_n(&k->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(k->thread, SIGUSR1);
}

/* A mapping of len bytes at an address aligned to align, or MAP_FAILED. */
static void *map_aligned(size_t len, size_t align, int prot, void **map, size_t *map_len)
{
	*map_len = len + align;
	*map = mmap(NULL, *map_len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*map == MAP_FAILED)
		return MAP_FAILED;
	return (void *)(((uintptr_t)*map + align - 1) & ~(uintptr_t)(align - 1));
}

/* Whether the host CPU implements MIPS64 Release 2 (/proc/cpuinfo's isa). */
static bool host_has_r2(void)
{
	char line[256];
	bool r2 = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "isa", 3) && (strstr(line, "mips64r2") || strstr(line, "mips64r6")))
			r2 = true;
	fclose(f);
	return r2;
}

/*
 * Before the board exists: without --kmod-mode, patch mode when mvm.ko
 * offers it, else split. Patch mode on a Release 2 host whose module lets
 * patched code read Count: the host's Count becomes the guest's clock, so
 * patched code reads Count natively (Documentation/patching.md, "Count").
 */
int kmod_split__configure(struct vm_config *cfg)
{
	int fd, cap;

	fd = open(MVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* the backend's init says why */
	/* No --kmod-mode: patched kernel code when this mvm.ko can run it. */
	if (!cfg->kmod_mode_set) {
		cfg->kmod_patch = ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL) > 0;
		if (!cfg->kmod_patch)
			pr_info("kmod: this mvm.ko cannot run patched guest kernel code (MVM_CAP_GUEST_KERNEL): split mode");
	}
	if (!cfg->kmod_patch || cfg->kmod_flat || !host_has_r2()) {
		close(fd);
		return 0;
	}
	cap = ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_COUNT);
	close(fd);
	if (cap <= 0)
		pr_info("kmod: mvm.ko gives patched code no host Count (MVM_CAP_GUEST_KERNEL_COUNT): guest Count reads stay with the core");
	else
		host_clock__install();
	return 0;
}

/*
 * Patch mode: the commpage and the translation cache, shared with mvm.ko.
 * Both are 64 KiB aligned like their places in the guest-kernel address
 * space, so the VMM's and the module's mappings of a line share a cache
 * colour on hosts whose caches alias. The cache is 2 MiB aligned, so huge
 * pages can back it and mvm.ko maps it with 2 MiB TLB entries.
 */
#define CODE_ALIGN	(2u << 20)

/* MVM_ENABLE_CAP of a switch (args[0] = 1) on this vCPU. */
static int enable_vcpu_cap(struct kmod_vcpu *k, uint32_t id, const char *name)
{
	struct mvm_enable_cap cap = { .cap = id, .args = { 1 } };

	if (!ioctl(k->vcpu_fd, MVM_ENABLE_CAP, &cap))
		return 0;
	pr_err("kmod: vCPU %d: MVM_ENABLE_CAP %s: %s", k->id, name, strerror(errno));
	return -1;
}

static bool has_cap(struct kmod_vcpu *k, uint32_t id)
{
	return ioctl(k->vm_fd, MVM_CHECK_EXTENSION, id) > 0;
}

/*
 * With delivery on, every run starts from a current commpage, and the
 * guest's Count is the host's: mvm.ko can keep the Compare timer, and a
 * new deadline needs no exit. MVM_PATCH_NO_TIMER: the VMM's timer, for
 * A/B runs.
 */
static int enable_module_timer(struct kmod_vcpu *k)
{
	if (!host_clock__installed() || !has_cap(k, MVM_CAP_GUEST_KERNEL_TIMER) ||
	    getenv("MVM_PATCH_NO_TIMER"))
		return 0;
	if (enable_vcpu_cap(k, MVM_CAP_GUEST_KERNEL_TIMER, "GUEST_KERNEL_TIMER"))
		return -1;
	k->module_timer = true;
	patcher__use_timer_calls(k->patcher);
	/* MVM_PATCH_NO_WAIT_CALLS: the core's WAIT, for A/B runs. */
	if (has_cap(k, MVM_CAP_GUEST_KERNEL_WAIT) && !getenv("MVM_PATCH_NO_WAIT_CALLS"))
		patcher__use_wait_calls(k->patcher);
	return 0;
}

/*
 * Guest user-mode exceptions straight to the patched vectors, with the
 * erets back: MVM_PATCH_NO_DELIVERY leaves them to the VMM, for A/B runs.
 */
static int enable_delivery(struct kmod_vcpu *k)
{
	if (!has_cap(k, MVM_CAP_GUEST_KERNEL_DELIVER) ||
	    !has_cap(k, MVM_CAP_GUEST_KERNEL_ERET) ||
	    getenv("MVM_PATCH_NO_DELIVERY") || getenv("MVM_PATCH_NO_ERET_CALLS"))
		return 0;
	if (enable_vcpu_cap(k, MVM_CAP_GUEST_KERNEL_DELIVER, "GUEST_KERNEL_DELIVER"))
		return -1;
	k->deliver = true;
	return enable_module_timer(k);
}

static int patch_init(struct kmod_vcpu *k)
{
	const size_t align = 64 << 10;
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_KERNEL };
	void *code;

	if (ioctl(k->vm_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL) <= 0) {
		pr_err("kmod: vCPU %d: this mvm.ko cannot run patched guest kernel code (MVM_CAP_GUEST_KERNEL)",
		       k->id);
		return -1;
	}
	k->comm = map_aligned(PATCH_COMM_SIZE, align, PROT_READ | PROT_WRITE,
			      &k->comm_map, &k->comm_map_len);
	code = map_aligned(PATCH_CODE_BUF_SIZE, CODE_ALIGN, PROT_READ | PROT_WRITE,
			   &k->code_map, &k->code_map_len);
	if (k->comm == MAP_FAILED || code == MAP_FAILED) {
		pr_err("kmod: vCPU %d: patch buffers: %s", k->id, strerror(errno));
		return -1;
	}
	k->code = code;
	madvise(code, PATCH_CODE_BUF_SIZE, MADV_HUGEPAGE);	/* a hint */
	/* Touch every page so the module pins memory, not the zero page. */
	memset(k->comm, 0, PATCH_COMM_SIZE);
	memset(k->code, 0, PATCH_CODE_BUF_SIZE);
	k->patcher = patcher__create(k->cpu, k->comm, k->code);
	if (!k->patcher)
		return -1;
	k->report = getenv("MVM_PATCH_PROFILE");
	k->report_at = host_clock__mono_ns();
	if (!host_has_r2())
		patcher__host_is_r1(k->patcher);
	if (host_clock__installed())
		patcher__use_host_count(k->patcher);
	/* MVM_PATCH_NO_TLB_CALLS: TLB instructions exit, for A/B measurements. */
	if (has_cap(k, MVM_CAP_GUEST_KERNEL_TLB) && !getenv("MVM_PATCH_NO_TLB_CALLS"))
		patcher__use_tlb_calls(k->patcher);
	/* MVM_PATCH_NO_ASID_CALLS: an EntryHi write with a new ASID exits. */
	if (has_cap(k, MVM_CAP_GUEST_KERNEL_ASID) && !getenv("MVM_PATCH_NO_ASID_CALLS"))
		patcher__use_asid_calls(k->patcher);
	if (has_cap(k, MVM_CAP_GUEST_KERNEL_ERET) && !getenv("MVM_PATCH_NO_ERET_CALLS"))
		patcher__use_eret_calls(k->patcher);
	cap.args[0] = (uintptr_t)k->comm + MVM_GK_COMM_BASE;
	cap.args[1] = (uintptr_t)code;
	cap.args[2] = PATCH_CODE_BUF_SIZE;
	if (ioctl(k->vcpu_fd, MVM_ENABLE_CAP, &cap)) {
		pr_err("kmod: vCPU %d: MVM_ENABLE_CAP GUEST_KERNEL: %s", k->id,
		       strerror(errno));
		return -1;
	}
	k->cpu->native_kernel = true;
	return enable_delivery(k);
}

int kmod_split__init_vcpu(struct kmod_vcpu *k)
{
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_MMU, .args = { 1 } };
	int sets;

	if (ioctl(k->vcpu_fd, MVM_ENABLE_CAP, &cap)) {
		pr_err("kmod: vCPU %d: MVM_ENABLE_CAP GUEST_MMU: %s", k->id,
		       strerror(errno));
		return -1;
	}
	if (k->patch && patch_init(k))
		return -1;
	/* Registers through the run page: two ioctls less per exit. */
	sets = ioctl(k->vm_fd, MVM_CHECK_EXTENSION, MVM_CAP_SYNC_REGS);
	if (sets > 0 && (sets & MVM_SYNC_REGS)) {
		k->sync_regs = true;
		k->run->sync_valid = MVM_SYNC_REGS;
	}
	k->synced = false;
	k->cpu->native_user = true;
	k->cpu->notify_arg = k;
	k->cpu->notify = kmod_split__notify;
	return 0;
}

/* The Compare deadline as SIGUSR1 to this thread: it ends a native run. */
static int timer_setup(struct kmod_vcpu *k)
{
	struct sigevent ev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = SIGUSR1,
	};

	ev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &ev, &k->timer)) {
		pr_err("kmod: vCPU %d: timer_create: %s", k->id, strerror(errno));
		return -1;
	}
	k->timer_ok = true;
	return 0;
}

/*
 * Arms the timer for the guest's next Compare interrupt when the guest
 * can take it. Count runs on host time, so one Compare value is one
 * deadline: re-arm only when Compare or the enable bits changed.
 */
static void timer_arm(struct kmod_vcpu *k)
{
	struct cpu *cpu = k->cpu;
	uint64_t enable = cpu->cp0.status & (STATUS_IE | STATUS_IM_TIMER);
	struct itimerspec its = { 0 };
	/*
	 * Patched kernel code sets IE (ei) and reads Cause.TI from the
	 * commpage without an exit: in kernel mode, and in user mode when
	 * mvm.ko may enter kernel mode itself, every Compare match ends the
	 * run, so the VMM sees it.
	 */
	bool want = !k->module_timer &&
		    (k->run->kernel_mode || k->deliver ||
		     enable == (STATUS_IE | STATUS_IM_TIMER));
	uint64_t ns;

	if (want == k->timer_armed && (!want || cpu->cp0.compare == k->timer_compare))
		return;
	if (want) {
		ns = cpu__ns_until_timer(cpu) + 1;	/* 0 would disarm */
		its.it_value.tv_sec = (time_t)(ns / 1000000000ULL);
		its.it_value.tv_nsec = (long)(ns % 1000000000ULL);
	}
	if (timer_settime(k->timer, 0, &its, NULL))
		pr_warn("kmod: vCPU %d: timer_settime: %s", k->id, strerror(errno));
	k->timer_armed = want;
	k->timer_compare = cpu->cp0.compare;
}

/* The core's TLB entry i as the module holds it. */
static struct mvm_tlb_entry core_tlb_entry(const struct cpu *cpu, uint32_t i)
{
	const struct tlb_entry *e = &cpu->tlb[i];

	return (struct mvm_tlb_entry) {
		.index = i,
		.entryhi = e->entryhi,
		.entrylo0 = e->entrylo[0],
		.entrylo1 = e->entrylo[1],
		.pagemask = e->pagemask,
	};
}

static int sync_tlb(struct kmod_vcpu *k)
{
	struct cpu *cpu = k->cpu;

	if (k->synced && cpu->tlb_generation == k->tlb_generation_sent)
		return 0;
	for (uint32_t i = 0; i < MVM_GUEST_TLB_SIZE && i < CPU_TLB_ENTRIES; i++) {
		struct mvm_tlb_entry t = core_tlb_entry(cpu, i);

		if (k->synced && !memcmp(&t, &k->tlb_sent[i], sizeof(t)))
			continue;
		if (ioctl(k->vcpu_fd, MVM_SET_TLB, &t)) {
			/*
			 * The core still has it: each access becomes a step,
			 * and so does each TLB instruction, which would find
			 * the module's entry different.
			 */
			pr_debug("kmod: vCPU %d: guest TLB entry %u refused (%s)",
				 k->id, i, strerror(errno));
			memset(&t, 0, sizeof(t));
			t.index = i;
			ioctl(k->vcpu_fd, MVM_SET_TLB, &t);
			if (k->patcher)
				patcher__stop_tlb_calls(k->patcher);
		}
		k->tlb_sent[i] = t;
	}
	k->tlb_generation_sent = cpu->tlb_generation;
	return 0;
}

/* Entries the module wrote itself: the core has them now, so does it. */
static void take_tlb_written(struct kmod_vcpu *k)
{
	for (uint64_t w = patcher__take_tlb_written(k->patcher); w; w &= w - 1)
		k->tlb_sent[__builtin_ctzll(w)] =
			core_tlb_entry(k->cpu, (uint32_t)__builtin_ctzll(w));
}

/* A CP0 register the module honours, sent when it changed. */
static int sync_cp0(struct kmod_vcpu *k, uint64_t id, uint64_t val,
		    uint64_t *sent)
{
	if (k->synced && *sent == val)
		return 0;
	if (set_one_reg(k, id, val))
		return -1;
	*sent = val;
	return 0;
}

/* The core's state -> the module, before a native run at pc. */
static int sync_to_module(struct kmod_vcpu *k, uint64_t pc)
{
	struct cpu *cpu = k->cpu;
	struct mvm_regs regs;

	/*
	 * Of EntryHi the module uses the ASID; its VPN2 changes with every
	 * TLB exception and would cost an ioctl per guest refill.
	 */
	if (sync_tlb(k) ||
	    sync_cp0(k, MVM_REG_ENTRYHI, cpu->cp0.entryhi & ENTRYHI_ASID_MASK,
		     &k->entryhi_sent) ||
	    sync_cp0(k, MVM_REG_USERLOCAL, cpu->cp0.userlocal, &k->userlocal_sent) ||
	    sync_cp0(k, MVM_REG_HWRENA, cpu->cp0.hwrena, &k->hwrena_sent))
		return -1;
	k->synced = true;
	memcpy(regs.gpr, cpu->gpr, sizeof(regs.gpr));
	regs.hi = cpu->hi;
	regs.lo = cpu->lo;
	regs.pc = pc;
	if (k->sync_regs) {
		/* Loaded by the next MVM_RUN: no ioctl of its own. */
		k->run->s.regs = regs;
		k->run->sync_dirty = MVM_SYNC_REGS;
		return 0;
	}
	if (!ioctl(k->vcpu_fd, MVM_SET_REGS, &regs))
		return 0;
	pr_err("kmod: vCPU %d: MVM_SET_REGS: %s", k->id, strerror(errno));
	return -1;
}

/* The module's registers -> the core, after a native run. */
static int sync_from_module(struct kmod_vcpu *k)
{
	struct cpu *cpu = k->cpu;
	struct mvm_regs regs;

	if (k->sync_regs) {
		/* What MVM_RUN left there (or what we put there if it never ran). */
		regs = k->run->s.regs;
	} else if (ioctl(k->vcpu_fd, MVM_GET_REGS, &regs)) {
		pr_err("kmod: vCPU %d: MVM_GET_REGS: %s", k->id, strerror(errno));
		return -1;
	}
	memcpy(cpu->gpr, regs.gpr, sizeof(cpu->gpr));
	cpu->gpr[0] = 0;
	cpu->hi = regs.hi;
	cpu->lo = regs.lo;
	cpu->pc = regs.pc;
	return 0;
}

/*
 * One MVM_RUN. The kick protocol: `native` is set before the flags are
 * looked at, and a kicker sets its flag before it looks at `native`, so
 * either this thread sees the kick or the kicker sees it running and
 * sets immediate_exit and signals it. The timer's signal sets
 * immediate_exit in the handler; one that came before immediate_exit was
 * cleared is seen by the second look at the timer and the lines here.
 */
static uint64_t one_reg(struct kmod_vcpu *k, uint64_t id)
{
	uint64_t v = 0;
	struct mvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

	ioctl(k->vcpu_fd, MVM_GET_ONE_REG, &r);
	return v;
}

#define REPORT_EVERY_NS		10000000000ull

/* MVM_PATCH_PROFILE: the share of time spent natively, and the module's refills. */
static void report(struct kmod_vcpu *k)
{
	uint64_t now = host_clock__mono_ns(), span = now - k->report_at, refills;

	if (span < REPORT_EVERY_NS)
		return;
	refills = one_reg(k, MVM_REG_STAT_REFILLS);
	fprintf(stderr, "kmod: vCPU %d, last %llu ms: %.1f%% kernel, %.1f%% user natively; %llu kernel runs, %llu refills in mvm.ko\n",
		k->id, (unsigned long long)(span / 1000000),
		100.0 * (double)k->native_ns[1] / (double)span,
		100.0 * (double)k->native_ns[0] / (double)span,
		(unsigned long long)(k->stat_kernel_entries - k->report_entries),
		(unsigned long long)(refills - k->report_refills));
	k->report_at = now;
	k->native_ns[0] = k->native_ns[1] = 0;
	k->report_refills = refills;
	k->report_entries = k->stat_kernel_entries;
}

static int run_native(struct kmod_vcpu *k)
{
	struct cpu *cpu = k->cpu;
	int ret = 0;

	__atomic_store_n(&k->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	uint64_t t0 = k->report ? host_clock__mono_ns() : 0;

	atomic_store(&k->native, true);
	k->called_off = atomic_load(&cpu->kick) || atomic_load(&cpu->kick_irq) ||
			!(k->run->kernel_mode ? cpu__native_kernel_ready(cpu) :
			  cpu__native_user_ready(cpu));
	if (k->called_off) {
		k->run->exit_reason = MVM_EXIT_INTR;
	} else if (ioctl(k->vcpu_fd, MVM_RUN, 0) && errno != EINTR) {
		pr_err("kmod: vCPU %d: MVM_RUN: %s", k->id, strerror(errno));
		ret = -1;
	}
	if (k->report)
		k->native_ns[!!k->run->kernel_mode] += host_clock__mono_ns() - t0;
	atomic_store(&k->native, false);
	k->stat_entries++;
	return ret;
}

/* An MMIO load's data reaches its register in the module at the next run. */
static int complete_mmio(struct kmod_vcpu *k)
{
	kmod__mmio_exit(k);
	if (k->run->mmio.is_write)
		return 0;
	__atomic_store_n(&k->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (ioctl(k->vcpu_fd, MVM_RUN, 0) && errno != EINTR) {
		pr_err("kmod: vCPU %d: completing MMIO: %s", k->id, strerror(errno));
		return -1;
	}
	return 0;
}

static void fatal_exit(struct kmod_vcpu *k)
{
	struct mvm_run *run = k->run;

	pr_err("kmod: vCPU %d: mvm.ko cannot go on: exit %u, sub-code %u, data 0x%llx 0x%llx at pc 0x%llx",
	       k->id, run->exit_reason, run->internal.suberror,
	       (unsigned long long)run->internal.data[0],
	       (unsigned long long)run->internal.data[1],
	       (unsigned long long)run->pc);
}

/*
 * After a native run: the module's registers into the core, then what the
 * exit means for the guest. -1: the VMM cannot go on.
 */
static int handle_exit(struct kmod_vcpu *k)
{
	struct mvm_run *run = k->run;
	uint32_t reason = run->exit_reason;
	uint64_t pc = run->pc;

	if (reason <= MVM_EXIT_EXCEPTION)
		k->stat_exits[reason]++;
	if (reason == MVM_EXIT_MMIO && complete_mmio(k))
		return -1;
	if (sync_from_module(k))
		return -1;
	switch (reason) {
	case MVM_EXIT_MMIO:
	case MVM_EXIT_INTR:
		return 0;
	case MVM_EXIT_INTERNAL_ERROR:
		if (run->internal.suberror == MVM_INTERNAL_ERROR_PIN) {
			fatal_exit(k);
			return -1;
		}
		/* What the module cannot emulate (e.g. MMIO in a delay slot), the core can. */
		/* fall through */
	case MVM_EXIT_EXCEPTION:
	case MVM_EXIT_HYPERCALL:
		/* The module may have moved past it: run it from its start. */
		k->cpu->pc = pc;
		k->stat_steps++;
		cpu__step(k->cpu);
		return 0;
	default:
		fatal_exit(k);
		return -1;
	}
}

static int handle_kernel_exit(struct kmod_vcpu *k);

/*
 * After a user-mode run: mvm.ko may have taken the guest into patched
 * kernel code (MVM_CAP_GUEST_KERNEL_DELIVER), and back, on the way.
 */
static int handle_user_run_exit(struct kmod_vcpu *k)
{
	if (!k->deliver)
		return handle_exit(k);
	if (k->run->kernel_mode)
		return handle_kernel_exit(k);
	patcher__user_exit(k->patcher);
	take_tlb_written(k);
	return handle_exit(k);
}

/* Native runs while the guest stays in user mode with nothing to deliver. */
static int run_user_mode(struct kmod_vcpu *k)
{
	while (board__state(k->board) == BOARD_RUNNING &&
	       cpu__native_user_ready(k->cpu)) {
		k->run->kernel_mode = 0;
		if (k->deliver) {
			/* A refused entry flushes translations: before vectors are named. */
			if (sync_tlb(k))
				return -1;
			patcher__sync_in(k->patcher);
		}
		timer_arm(k);
		if (sync_to_module(k, k->cpu->pc) || run_native(k) ||
		    handle_user_run_exit(k))
			return -1;
	}
	return 0;
}

/*
 * After a native run of patched kernel code: the module's registers are
 * host state; the patcher turns them into guest state at a guest PC.
 */
static int handle_kernel_exit(struct kmod_vcpu *k)
{
	struct mvm_run *run = k->run;
	uint32_t reason = run->exit_reason;
	struct patch_resume r;
	uint64_t host_pc;
	bool syscall;

	/* mvm.ko took an eret to user mode: what follows is a user-mode exit. */
	if (!run->kernel_mode) {
		patcher__user_exit(k->patcher);
		take_tlb_written(k);
		return handle_exit(k);
	}
	if (reason <= MVM_EXIT_EXCEPTION)
		k->stat_exits[reason]++;
	/*
	 * An access where no device is: the core redoes it and raises what
	 * the architecture says (a bus error, an address error beyond
	 * PABITS). The next MVM_SET_REGS drops the load the module holds.
	 */
	if (reason == MVM_EXIT_MMIO &&
	    !bus__find_device(&k->board->bus, run->mmio.phys_addr))
		reason = MVM_EXIT_EXCEPTION;
	else if (reason == MVM_EXIT_MMIO && complete_mmio(k))
		return -1;
	if (sync_from_module(k))
		return -1;
	/* An exception's PC is where it happened, not where the module went on. */
	host_pc = reason == MVM_EXIT_MMIO || reason == MVM_EXIT_INTR ?
		  k->cpu->pc : run->pc;
	syscall = reason == MVM_EXIT_EXCEPTION && run->ex.exc_code == MVM_EXC_SYS;
	if (reason == MVM_EXIT_INTERNAL_ERROR &&
	    run->internal.suberror == MVM_INTERNAL_ERROR_PIN) {
		fatal_exit(k);
		return -1;
	}
	if (!patcher__resume(k->patcher, host_pc, syscall,
			     reason == MVM_EXIT_MMIO ? 'm' : k->called_off ? 'o' :
			     reason == MVM_EXIT_INTR ? 'n' : 'e',
			     k->cpu->gpr, &r)) {
		pr_err("kmod: vCPU %d: patched code stopped outside the translation cache at 0x%llx (exit %u)",
		       k->id, (unsigned long long)host_pc, reason);
		fatal_exit(k);
		return -1;
	}
	k->cpu->pc = r.pc;
	take_tlb_written(k);
	switch (reason) {
	case MVM_EXIT_MMIO:
	case MVM_EXIT_INTR:
		return 0;
	case MVM_EXIT_EXCEPTION:
		if (r.exit_stub && !r.step)
			return 0;
		break;
	default:
		break;
	}
	/* The core redoes the instruction with guest addresses, or raises it. */
	if (cpu__native_kernel_ready(k->cpu))
		patcher__step(k->patcher);
	return 0;
}

/* Patched runs while the guest stays in kernel mode with nothing to deliver. */
static int run_kernel_mode(struct kmod_vcpu *k)
{
	struct cpu *cpu = k->cpu;
	int ret = 0;

	while (board__state(k->board) == BOARD_RUNNING &&
	       cpu__native_kernel_ready(cpu)) {
		uint64_t host;

		/* Before a block is picked: a refused entry flushes them all. */
		if (sync_tlb(k))
			return -1;
		host = patcher__enter(k->patcher);
		if (k->report)
			report(k);
		if (!host) {
			patcher__run_core(k->patcher);
			continue;
		}
		patcher__sync_in(k->patcher);
		k->run->kernel_mode = 1;
		timer_arm(k);
		k->stat_kernel_entries++;
		if (sync_to_module(k, host) || run_native(k) || handle_kernel_exit(k))
			ret = -1;
		k->run->kernel_mode = 0;
		if (ret)
			break;
	}
	return ret;
}

void *kmod_split__vcpu_thread(void *arg)
{
	struct kmod_vcpu *k = arg;
	struct cpu *cpu = k->cpu;

	device__set_current_cpu(k->id);
	/* A secondary sleeps until the guest releases it from reset. */
	if (!board__wait_cpu_release(k->board, k->id))
		return NULL;
	if (timer_setup(k)) {
		board__request(k->board, BOARD_ERROR);
		return NULL;
	}
	kmod__thread_run = k->run;
	while (!atomic_load(&k->stopping) &&
	       board__state(k->board) == BOARD_RUNNING) {
		switch (cpu__run(cpu)) {
		case CPU_EXIT_USER:
			if (run_user_mode(k))
				board__request(k->board, BOARD_ERROR);
			break;
		case CPU_EXIT_KERNEL:
			if (run_kernel_mode(k))
				board__request(k->board, BOARD_ERROR);
			break;
		case CPU_EXIT_KICK:
		case CPU_EXIT_DEBUG:	/* no debugger on this backend */
			break;
		case CPU_EXIT_POWEROFF:
			board__request(k->board, BOARD_POWEROFF);
			break;
		case CPU_EXIT_HALT:
			backend__vcpu_stuck(k->board, cpu);
			break;
		}
	}
	return NULL;
}

static void patch_exit(struct kmod_vcpu *k)
{
	char stats[256];

	if (k->patcher) {
		patcher__stats(k->patcher, stats, sizeof(stats));
		pr_info("kmod: vCPU %d: %llu patched kernel runs; %s", k->id,
			(unsigned long long)k->stat_kernel_entries, stats);
	}
	patcher__destroy(k->patcher);
	k->patcher = NULL;
	if (k->comm_map && k->comm_map != MAP_FAILED)
		munmap(k->comm_map, k->comm_map_len);
	if (k->code_map && k->code_map != MAP_FAILED)
		munmap(k->code_map, k->code_map_len);
	k->comm = NULL;
	k->comm_map = NULL;
	k->code_map = NULL;
}

void kmod_split__exit_vcpu(struct kmod_vcpu *k)
{
	if (k->timer_ok)
		timer_delete(k->timer);
	k->timer_ok = false;
	patch_exit(k);
	if (!k->stat_entries)
		return;
	pr_info("kmod: vCPU %d: %llu native runs; exits: %llu MMIO, %llu interrupted, %llu exception, %llu hypercall, %llu internal; %llu instructions stepped by the core",
		k->id, (unsigned long long)k->stat_entries,
		(unsigned long long)k->stat_exits[MVM_EXIT_MMIO],
		(unsigned long long)k->stat_exits[MVM_EXIT_INTR],
		(unsigned long long)k->stat_exits[MVM_EXIT_EXCEPTION],
		(unsigned long long)k->stat_exits[MVM_EXIT_HYPERCALL],
		(unsigned long long)k->stat_exits[MVM_EXIT_INTERNAL_ERROR],
		(unsigned long long)k->stat_steps);
}
