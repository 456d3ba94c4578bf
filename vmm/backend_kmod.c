// SPDX-License-Identifier: GPL-2.0
/*
 * The kmod backend: runs the board's vCPUs in /dev/mvm (mvm.ko, see
 * Documentation/kmod.md and uapi.md) on a MIPS64 host, one host thread and
 * one vCPU fd each, as the emulator runs one interpreter thread each.
 * Guest RAM becomes memslots, MMIO exits go through the same bus and
 * devices as the emulator's (a secondary starts when the guest releases it
 * through the board's CM), and the board's state stops the threads.
 *
 * Split mode (the default, backend_kmod_split.c): guest user mode runs
 * natively in the module, guest kernel mode in the VMM's CPU core.
 *
 * Flat mode (--kmod-mode flat): the guest runs in user mode with GVA = GPA.
 * A bare-metal program linked in kseg0 runs at its physical alias; the few
 * kernel-segment accesses such programs make (a KSEG1 UART, a kseg0 data
 * pointer) come back as address errors and are emulated here, one
 * instruction at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mvm.h>

#include "backend.h"
#include "backend_kmod.h"
#include "cpu.h"
#include "device.h"
#include "log.h"

#define KVA_TO_PA_MASK	0x1fffffffULL

/* A guest can repeat a bad access forever: say it once. */
#define warn_once(...) do {				\
	static bool warned;				\
	if (!warned) {					\
		warned = true;				\
		pr_warn(__VA_ARGS__);			\
	}						\
} while (0)

static struct kmod_vm {
	int dev_fd, vm_fd;
	bool flat;
	struct kmod_vcpu vcpus[BOARD_MAX_CPUS];
} kmod;

static bool kmod__available(void)
{
	int fd = open(MVM_DEVICE, O_RDWR | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, MVM_GET_API_VERSION, 0) == MVM_API_VERSION;
	close(fd);
	return ok;
}

/* kseg0/kseg1 (sign-extended) and xkphys addresses -> physical. */
static bool kernel_va_to_pa(uint64_t va, uint64_t *pa)
{
	if (va >= 0xffffffff80000000ULL && va < 0xffffffffc0000000ULL) {
		*pa = va & KVA_TO_PA_MASK;
		return true;
	}
	if ((va >> 62) == 2) {			/* xkphys */
		*pa = va & ((1ULL << CPU_PABITS) - 1);
		return true;
	}
	return false;
}

static int add_ram_slot(struct kmod_vcpu *k, uint32_t slot, uint64_t gpa,
			uint64_t size)
{
	struct mvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)(k->board->bus.ram + gpa),
	};

	if (!ioctl(k->vm_fd, MVM_SET_USER_MEMORY_REGION, &r))
		return 0;
	pr_err("kmod: guest RAM [0x%llx, +0x%llx) as memslot %u: %s",
	       (unsigned long long)gpa, (unsigned long long)size, slot,
	       strerror(errno));
	return -1;
}

/* RAM around the MMIO window, as the bus lays it out. */
static int map_ram(struct kmod_vcpu *k)
{
	uint64_t ram = k->board->bus.ram_size;

	if (add_ram_slot(k, 0, 0, ram < BUS_MMIO_START ? ram : BUS_MMIO_START))
		return -1;
	if (ram > BUS_MMIO_END &&
	    add_ram_slot(k, 1, BUS_MMIO_END, ram - BUS_MMIO_END))
		return -1;
	return 0;
}

/*
 * The vCPU's reset state (the loader's, or the release address of a
 * secondary), with the PC at its flat alias.
 */
static int load_regs(struct kmod_vcpu *k)
{
	struct cpu *cpu = k->board->cpus[k->id];
	struct mvm_regs regs;
	uint64_t pc = cpu->pc;

	memcpy(regs.gpr, cpu->gpr, sizeof(regs.gpr));
	regs.hi = cpu->hi;
	regs.lo = cpu->lo;
	if (kernel_va_to_pa(pc, &pc))
		pr_info("kmod: flat mode: entry 0x%llx runs at its physical alias 0x%llx in guest user mode",
			(unsigned long long)cpu->pc, (unsigned long long)pc);
	regs.pc = pc;
	if (!ioctl(k->vcpu_fd, MVM_SET_REGS, &regs))
		return 0;
	pr_err("kmod: MVM_SET_REGS: %s", strerror(errno));
	return -1;
}

/* The vCPU thread's shared run page, for the signal handler (split mode). */
__thread struct mvm_run *kmod__thread_run;

/*
 * Interrupts MVM_RUN; one that lands before the ioctl sets immediate_exit,
 * so the next MVM_RUN returns at once instead of running on without it.
 */
static void kmod__kick_handler(int sig)
{
	(void)sig;
	if (kmod__thread_run)
		__atomic_store_n(&kmod__thread_run->immediate_exit, 1,
				 __ATOMIC_SEQ_CST);
}

static int kmod__create_vcpu(struct kmod_vcpu *k, struct board *board, int id)
{
	k->board = board;
	k->cpu = board->cpus[id];
	k->id = id;
	k->vm_fd = kmod.vm_fd;
	k->vcpu_fd = ioctl(kmod.vm_fd, MVM_CREATE_VCPU, id);
	if (k->vcpu_fd < 0) {
		pr_err("kmod: MVM_CREATE_VCPU %d: %s", id, strerror(errno));
		return -1;
	}
	k->run = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		      k->vcpu_fd, 0);
	if (k->run == MAP_FAILED) {
		pr_err("kmod: mmap of vCPU %d: %s", id, strerror(errno));
		k->run = NULL;
		return -1;
	}
	return 0;
}

static int kmod__configure(struct vm_config *cfg)
{
	return kmod_split__configure(cfg);
}

static int kmod__init(struct board *board, const struct vm_config *cfg)
{
	struct sigaction sa = { .sa_handler = kmod__kick_handler };
	int i;

	memset(&kmod, 0, sizeof(kmod));
	kmod.flat = cfg->kmod_flat;
	kmod.dev_fd = open(MVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (kmod.dev_fd < 0) {
		pr_err("kmod: %s: %s", MVM_DEVICE, strerror(errno));
		return -1;
	}
	kmod.vm_fd = ioctl(kmod.dev_fd, MVM_CREATE_VM, 0);
	if (kmod.vm_fd < 0) {
		pr_err("kmod: MVM_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < board->nr_cpus; i++) {
		if (kmod__create_vcpu(&kmod.vcpus[i], board, i))
			return -1;
		kmod.vcpus[i].patch = cfg->kmod_patch;
		if (!kmod.flat && kmod_split__init_vcpu(&kmod.vcpus[i]))
			return -1;
	}
	/* No SA_RESTART: the signal must end MVM_RUN with EINTR. */
	if (sigaction(SIGUSR1, &sa, NULL)) {
		pr_err("kmod: sigaction: %s", strerror(errno));
		return -1;
	}
	if (map_ram(&kmod.vcpus[0]))
		return -1;
	pr_info("kmod: %s mode", kmod.flat ? "flat" : cfg->kmod_patch ?
		"patch (guest user mode native, kernel mode patched)" :
		"split (guest user mode native, kernel mode in the VMM's core)");
	/* Secondaries get their registers when the guest releases them. */
	return kmod.flat && load_regs(&kmod.vcpus[0]) ? -1 : 0;
}

/* Device lines of the board -> MVM_IRQ_LINE, when they changed. */
static void forward_irqs(struct kmod_vcpu *k)
{
	uint32_t lines = atomic_load(&k->board->cpus[k->id]->irq_lines);
	uint32_t changed = lines ^ k->irq_lines_sent;
	struct mvm_irq_level l;

	for (l.irq = 0; l.irq < MVM_NR_IRQ_LINES; l.irq++) {
		if (!(changed & (1u << l.irq)))
			continue;
		l.level = !!(lines & (1u << l.irq));
		if (ioctl(k->vm_fd, MVM_IRQ_LINE, &l))
			pr_warn("kmod: MVM_IRQ_LINE %u: %s", l.irq,
				strerror(errno));
	}
	k->irq_lines_sent = lines;
}

void kmod__mmio_exit(struct kmod_vcpu *k)
{
	struct mvm_run *run = k->run;
	uint64_t val = 0;
	bool ok;

	if (run->mmio.is_write) {
		memcpy(&val, run->mmio.data, run->mmio.len);
		ok = bus__mmio_write(&k->board->bus, run->mmio.phys_addr,
				     run->mmio.len, val);
	} else {
		ok = bus__mmio_read(&k->board->bus, run->mmio.phys_addr,
				    run->mmio.len, &val);
		memcpy(run->mmio.data, &val, run->mmio.len);
	}
	if (!ok)
		warn_once("kmod: guest %s of unmapped physical 0x%llx at pc 0x%llx ignored",
			     run->mmio.is_write ? "write" : "read",
			     (unsigned long long)run->mmio.phys_addr,
			     (unsigned long long)run->pc);
}

/* A load/store (lb..ld, sb..sd): its length, or 0. */
static unsigned int access_len(uint32_t insn, bool *is_load, bool *sign)
{
	static const uint8_t len[8] = { 1, 2, 0, 4, 1, 2, 0, 4 };
	uint32_t op = insn >> 26;

	*is_load = op < 0x28 || op == 0x37;
	*sign = op < 0x24 && op != 0x37;
	if (op >= 0x20 && op <= 0x27)
		return len[op & 7];
	if (op >= 0x28 && op <= 0x2b)
		return len[op & 7];
	return op == 0x37 || op == 0x3f ? 8 : 0;
}

/* Physical memory access for an emulated instruction: RAM or a device. */
static bool phys_access(struct kmod_vcpu *k, uint64_t pa, unsigned int len,
			bool is_load, uint64_t *val)
{
	struct bus *bus = &k->board->bus;

	if (bus__is_ram(bus, pa, len)) {
		if (is_load) {
			*val = 0;
			memcpy(val, bus->ram + pa, len);
		} else {
			memcpy(bus->ram + pa, val, len);
		}
		return true;
	}
	if (is_load)
		return bus__mmio_read(bus, pa, len, val);
	return bus__mmio_write(bus, pa, len, *val);
}

/*
 * Flat mode: an address error on a kernel-segment address the program was
 * linked for. A fetch moves the PC to the physical alias; a load/store is
 * emulated against physical memory. false: a real guest fault.
 */
static bool fix_flat_address_error(struct kmod_vcpu *k)
{
	struct mvm_run *run = k->run;
	struct mvm_regs regs;
	unsigned int len, rt = (run->ex.insn >> 16) & 31;
	bool is_load, sign;
	uint64_t pa, val;

	if (!kernel_va_to_pa(run->ex.badvaddr, &pa) ||
	    ioctl(k->vcpu_fd, MVM_GET_REGS, &regs))
		return false;
	if (run->ex.badvaddr == run->ex.epc) {
		regs.pc = pa;
		return !ioctl(k->vcpu_fd, MVM_SET_REGS, &regs);
	}
	len = access_len(run->ex.insn, &is_load, &sign);
	if (!len || (run->ex.cause & (1ULL << 31)) || (pa & (len - 1)))
		return false;	/* not a plain access, or in a delay slot */
	val = regs.gpr[rt];
	if (!phys_access(k, pa, len, is_load, &val))
		warn_once("kmod: guest access to unmapped physical 0x%llx at pc 0x%llx ignored",
			     (unsigned long long)pa,
			     (unsigned long long)run->ex.epc);
	if (is_load && rt) {
		if (sign && len < 8)
			val = (uint64_t)((int64_t)(val << (64 - 8 * len)) >>
					 (64 - 8 * len));
		regs.gpr[rt] = val;
	}
	regs.pc += 4;
	return !ioctl(k->vcpu_fd, MVM_SET_REGS, &regs);
}

static void stop_board(struct kmod_vcpu *k, const char *what)
{
	struct mvm_run *run = k->run;

	if (run->exit_reason == MVM_EXIT_EXCEPTION)
		pr_err("kmod: %s: guest exception %u at pc 0x%llx (cause 0x%llx, badvaddr 0x%llx, insn 0x%08x)",
		       what, run->ex.exc_code, (unsigned long long)run->ex.epc,
		       (unsigned long long)run->ex.cause,
		       (unsigned long long)run->ex.badvaddr, run->ex.insn);
	else
		pr_err("kmod: %s: exit %u, sub-code %u at pc 0x%llx", what,
		       run->exit_reason, run->internal.suberror,
		       (unsigned long long)run->pc);
	board__request(k->board, BOARD_HALT);
}

/* One exit; false when the vCPU cannot go on. */
static bool handle_exit(struct kmod_vcpu *k)
{
	struct mvm_run *run = k->run;

	switch (run->exit_reason) {
	case MVM_EXIT_MMIO:
		kmod__mmio_exit(k);
		return true;
	case MVM_EXIT_INTR:
		return true;
	case MVM_EXIT_HYPERCALL:
		run->hypercall.ret = (uint64_t)-ENOSYS;	/* none defined yet */
		return true;
	case MVM_EXIT_EXCEPTION:
		if ((run->ex.exc_code == MVM_EXC_ADEL ||
		     run->ex.exc_code == MVM_EXC_ADES) &&
		    fix_flat_address_error(k))
			return true;
		stop_board(k, "the guest has no kernel to take it (flat mode)");
		return false;
	default:
		stop_board(k, "mvm.ko cannot go on");
		return false;
	}
}

static void *kmod__vcpu_thread(void *arg)
{
	struct kmod_vcpu *k = arg;

	device__set_current_cpu(k->id);
	/* A secondary waits until the guest releases it from reset. */
	if (!board__wait_cpu_release(k->board, k->id))
		return NULL;
	if (k->id && load_regs(k)) {
		board__request(k->board, BOARD_ERROR);
		return NULL;
	}
	while (!atomic_load(&k->stopping) &&
	       board__state(k->board) == BOARD_RUNNING) {
		/* MVM_IRQ_LINE is the VM's: CPU 0 forwards the board's lines. */
		if (k->id == 0)
			forward_irqs(k);
		if (ioctl(k->vcpu_fd, MVM_RUN, 0) && errno != EINTR) {
			pr_err("kmod: vCPU %d: MVM_RUN: %s", k->id, strerror(errno));
			board__request(k->board, BOARD_ERROR);
			break;
		}
		if (!handle_exit(k))
			break;
	}
	return NULL;
}

static void kmod__stop_vcpu(struct kmod_vcpu *k)
{
	if (!k->started)
		return;
	/* immediate_exit covers a signal that lands before MVM_RUN. */
	atomic_store(&k->stopping, true);
	k->run->immediate_exit = 1;
	cpu__kick(k->cpu);	/* wakes a WAIT of split mode's core */
	pthread_kill(k->thread, SIGUSR1);
	pthread_join(k->thread, NULL);
	k->started = false;
}

static enum board_state kmod__run(struct board *board)
{
	enum board_state state;
	int i;

	for (i = 0; i < board->nr_cpus; i++) {
		struct kmod_vcpu *k = &kmod.vcpus[i];

		if (pthread_create(&k->thread, NULL, kmod.flat ?
				   kmod__vcpu_thread : kmod_split__vcpu_thread, k)) {
			pr_err("kmod: cannot start the thread of vCPU %d", i);
			board__request(board, BOARD_ERROR);
			break;
		}
		k->started = true;
	}
	state = board__wait(board);
	for (i = 0; i < board->nr_cpus; i++)
		kmod__stop_vcpu(&kmod.vcpus[i]);
	return state;
}

static void kmod__exit(struct board *board)
{
	int i;

	(void)board;
	for (i = 0; i < BOARD_MAX_CPUS; i++) {
		struct kmod_vcpu *k = &kmod.vcpus[i];

		if (k->cpu)
			kmod_split__exit_vcpu(k);
		if (k->run)
			munmap(k->run, getpagesize());
		if (k->vcpu_fd > 0)
			close(k->vcpu_fd);
	}
	if (kmod.vm_fd > 0)
		close(kmod.vm_fd);
	if (kmod.dev_fd > 0)
		close(kmod.dev_fd);
	memset(&kmod, 0, sizeof(kmod));
}

const struct backend backend_kmod = {
	.name = "kmod",
	.available = kmod__available,
	.configure = kmod__configure,
	.init = kmod__init,
	.run = kmod__run,
	.exit = kmod__exit,
};
