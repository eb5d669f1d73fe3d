/* SPDX-License-Identifier: GPL-3.0-or-later */
/* datadir: where the installed presets and data sets are. */
#ifndef CSTDP_DATADIR_H
#define CSTDP_DATADIR_H

/* The installed presets' folder: $CALCIUM_STDP_DATADIR/params when that is set and not empty (the
 * tests point it at the source tree, so that a copy of the program installed on the machine is never
 * what they test; a relocated installation points it at its own share folder), else
 * PKGDATADIR/params as configured. The string stays valid until the next call. */
const char *datadir_params(void);

/* The installed data sets' folder, the same way: $CALCIUM_STDP_DATADIR/data or PKGDATADIR/data. */
const char *datadir_data(void);

#endif
