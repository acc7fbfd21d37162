# pitlost.S with the HPET's timer 0 in legacy replacement mode as the
# tick (hw/timer/hpet.c holds the ticks the guest has not taken yet).
# SPDX-License-Identifier: GPL-2.0-or-later
    .set HPET_TICK, 1
    .include "pitlost.S"
