// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: pc5keyd's config parser */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pc5keyd/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf c;
	struct errmsg why = { "" };
	char *text;

	if (size > CONF_MAX_SIZE)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (conf_parse(text, &c, &why) == 0 && (!c.ngroups || !c.pkmf_url[0]))
		abort();
	free(text);
	return 0;
}
