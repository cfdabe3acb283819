// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: pc5keyd's KEY_RESPONSE parser, and the writer on what it accepts */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pc5keyd/pc3.h"

/* as pc5keyd runs it: libxml2 with the wiping allocator */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return pc3_init() ? (abort(), 0) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pc3_response r, r2;
	struct errmsg why = { "" };
	static char out[PC3_MAX_DOC];

	if (pc3_parse_response((const char *)data, size, &r, &why))
		return 0;
	/* whatever is accepted writes back and parses to the same thing */
	if (pc3_build_response(&r, out, sizeof(out)))
		return 0;
	if (pc3_parse_response(out, strlen(out), &r2, &why) ||
	    memcmp(&r, &r2, sizeof(r)))
		abort();
	return 0;
}
