/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MVM_GOLDFISH_RTC_H
#define MVM_GOLDFISH_RTC_H

#include <stdint.h>

/* The Android goldfish RTC: nanoseconds since the epoch, host wall clock. */
struct device *goldfish_rtc__create(uint64_t base, int irq);

#endif
