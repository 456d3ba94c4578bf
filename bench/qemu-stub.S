/*
 * A minimal -bios boot stub for QEMU's malta board that enters a MIPS
 * "generic" kernel with the UHI convention:
 *   a0 = -2 (64-bit UHI), a1 = DTB virtual address (ckseg0), a2 = a3 = 0.
 *
 * Assembled with --defsym:
 *   DTB_HI    upper 16 bits of the DTB's ckseg0 address (low 16 bits are 0)
 *   ENTRY_HI, ENTRY_LO  the kernel entry's bits 31..16 and 15..0
 * lui sign-extends, so 0x8ff0 gives 0xffffffff8ff00000: ckseg0 addresses.
 *
 * QEMU writes the board ID over flash offset 0x10, so the first instruction
 * branches over the first 32 bytes. Malta byte-swaps every 32-bit word of a
 * -bios image in little-endian mode; qemu-boot.sh pre-swaps the binary.
 */
	.set	noreorder
	.set	noat
	.text
	.globl	_start
_start:
	b	1f
	nop
	.space	0x20 - 8	/* 0x10: board ID written here by QEMU */
1:
	daddiu	$4, $0, -2	/* a0 = -2 */
	lui	$5, DTB_HI	/* a1 = DTB virtual address */
	move	$6, $0		/* a2 = 0: no YAMON environment */
	move	$7, $0		/* a3 = 0 */
	lui	$25, ENTRY_HI	/* t9 = kernel entry */
	ori	$25, $25, ENTRY_LO
	jr	$25
	nop
2:	b	2b
	nop
