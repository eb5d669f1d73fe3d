/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fixed parts of the Brian2 scripts (brian2_text.c), which export.c assembles. */
#ifndef CSTDP_BRIAN2_TEXT_H
#define CSTDP_BRIAN2_TEXT_H

extern const char brian2_text_bistable_equations[];
extern const char brian2_text_weight_equations[];
extern const char brian2_text_bistable_helpers[];
extern const char brian2_text_bistable_body[];
extern const char brian2_text_presentation_helper[];
extern const char brian2_text_weight_helpers[];
extern const char brian2_text_weight_body[];
extern const char brian2_text_bistable_readout[];
extern const char brian2_text_weight_readout[];

#endif
