/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the plot needs computed, requested when the state has changed (requests.c). */
#ifndef CSTDP_REQUESTS_H
#define CSTDP_REQUESTS_H

#include "ui.h"

/* Look at the state and request what the next frame will show (at once when it takes microseconds,
 * as jobs otherwise); explorer.c calls it after every change, before a frame. */
void requests_sync(ui *u);

#endif
