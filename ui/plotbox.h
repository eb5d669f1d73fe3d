/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plot box of the main screen, drawn from the state alone (plotbox.c). */
#ifndef CSTDP_PLOTBOX_H
#define CSTDP_PLOTBOX_H

#include "ui.h"

/* The box, the curve, the cursor's note, and the view that shares the box. */
void plotbox_draw(ui *u);

#endif
