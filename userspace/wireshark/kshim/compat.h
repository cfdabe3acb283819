/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Empty: kshim.h (forced in with -include) defines what is needed. */
