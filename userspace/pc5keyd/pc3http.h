/* SPDX-License-Identifier: GPL-2.0 */
/* PC3 over HTTPS with libcurl (see pc3http.c) */
#ifndef PC5KEYD_PC3HTTP_H
#define PC5KEYD_PC3HTTP_H

#include <stddef.h>

#include "config.h"

int pc3http_init(void);
void pc3http_cleanup(void);

/*
 * POSTs @req to the configured PKMF and reads the answer into @resp (at
 * most @cap bytes: a longer body fails the transfer). TLS: the PKMF's
 * certificate must verify against ca-file and match the URL's host; the
 * UE authenticates with cert-file/key-file. Only HTTP 200 with an XML
 * content type is a success. The caller wipes @resp.
 */
/*
 * @tls_key: the client key as an OpenSSL EVP_PKEY when it is in a token
 * (pc3key_pkey()), else NULL: key-file is loaded as a file.
 */
int pc3http_post(const struct conf *c, void *tls_key, const char *req, char *resp,
		 size_t cap, size_t *len, struct errmsg *why);

#endif /* PC5KEYD_PC3HTTP_H */
